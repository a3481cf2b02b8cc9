using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Application.Queries;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Contracts.Events;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// The analytics service hosted in-process against the real test servers, with its own
/// auto-deleted queue (unique prefix) so parallel test runs never steal each other's messages,
/// plus a publishing bus on the same vhost.
/// </summary>
public sealed class AnalyticsServiceFixture : IAsyncLifetime
{
    public string QueuePrefix { get; } = $"test-{Guid.NewGuid():N}-";

    public ServiceHost Host { get; private set; } = null!;

    public IBusControl Bus { get; private set; } = null!;

    public ClickHouseClient ClickHouse => Host.Services.GetRequiredService<ClickHouseClient>();

    public AnalyticsQueries Queries => Host.Services.GetRequiredService<AnalyticsQueries>();

    public IRequestAnalyticsWriter Writer => Host.Services.GetRequiredService<IRequestAnalyticsWriter>();

    public async Task InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(AnalyticsApp.Build, TestServers.ServiceArgs(
            $"--RabbitMq:QueuePrefix={QueuePrefix}",
            "--RabbitMq:TemporaryQueues=true",
            "--Analytics:Ingestion:RetryMinIntervalMs=200",
            "--Analytics:Ingestion:RetryMaxIntervalMs=2000"));

        // Ready = schema migrated and the bus (hence our queue binding) is up; publishing earlier could lose messages.
        using var client = Host.CreateClient();
        await Eventually.GetAsync(async () => (await client.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(60), "analytics service ready");

        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Bus.StartAsync(timeout.Token);
    }

    public HttpClient CreateApiClient(string? token = TestServers.InternalToken)
    {
        var client = Host.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task PublishAsync(params RequestCompleted[] events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAll(events.Select(e => Bus.Publish(e, timeout.Token)));
    }

    /// <summary>Rows of the organization as readers see them (duplicates collapsed).</summary>
    public Task<ulong> CountRequestsAsync(Guid organizationId, bool final = true) =>
        CountAsync($"SELECT count() AS count FROM requests {(final ? "FINAL" : "")} WHERE organization_id = {SqlLiteral.Uuid(organizationId)}");

    public Task<ulong> CountToolCallsAsync(Guid organizationId) =>
        CountAsync($"SELECT count() AS count FROM tool_calls FINAL WHERE organization_id = {SqlLiteral.Uuid(organizationId)}");

    private async Task<ulong> CountAsync(string sql) =>
        (await ClickHouse.QueryAsync(sql, TestJsonContext.Default.CountResult, CancellationToken.None)).Single().Count;

    public async Task DisposeAsync()
    {
        if (Bus is not null) await Bus.StopAsync();
        if (Host is not null) await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsServiceCollection : ICollectionFixture<AnalyticsServiceFixture>
{
    public const string Name = "analytics service";
}
