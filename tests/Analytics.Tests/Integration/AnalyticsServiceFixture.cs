using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Application.Queries;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// The analytics service hosted in-process against the real test servers, with its own
/// auto-deleted queue (unique prefix) so parallel test runs never steal each other's messages,
/// plus a publishing bus on the same vhost.
/// </summary>
public sealed class AnalyticsServiceFixture() : ConsumerServiceFixture(AnalyticsApp.Build,
    $"--Management:Url={StubManagement.Shared.Url}",
    "--Analytics:Ingestion:RetryMinIntervalMs=200",
    "--Analytics:Ingestion:RetryMaxIntervalMs=2000")
{
    public ClickHouseClient ClickHouse => Host.Services.GetRequiredService<ClickHouseClient>();

    public AnalyticsQueries Queries => Host.Services.GetRequiredService<AnalyticsQueries>();

    public IRequestAnalyticsWriter Writer => Host.Services.GetRequiredService<IRequestAnalyticsWriter>();

    public StubManagement Management => StubManagement.Shared;

    public HttpClient CreateApiClient(string? token = TestServers.InternalToken)
    {
        var client = Host.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Rows of the organization as readers see them (duplicates collapsed).</summary>
    public Task<ulong> CountRequestsAsync(Guid organizationId, bool final = true) =>
        CountAsync($"SELECT count() AS count FROM requests {(final ? "FINAL" : "")} WHERE organization_id = {SqlLiteral.Uuid(organizationId)}");

    /// <summary>Newest insert version among the organisation's raw rows (a merge keeps the newest, so it only grows).</summary>
    public Task<ulong> MaxRequestVersionAsync(Guid organizationId) =>
        CountAsync($"SELECT max(version) AS count FROM requests WHERE organization_id = {SqlLiteral.Uuid(organizationId)}");

    public Task<ulong> CountToolCallsAsync(Guid organizationId) =>
        CountAsync($"SELECT count() AS count FROM tool_calls FINAL WHERE organization_id = {SqlLiteral.Uuid(organizationId)}");

    private async Task<ulong> CountAsync(string sql) =>
        (await ClickHouse.QueryAsync(sql, TestJsonContext.Default.CountResult, CancellationToken.None)).Single().Count;
}

[CollectionDefinition(Name)]
public sealed class AnalyticsServiceCollection : ICollectionFixture<AnalyticsServiceFixture>
{
    public const string Name = "analytics service";
}
