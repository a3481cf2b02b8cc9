using System.Net.Http.Headers;
using Npgsql;
using Requesty.Management;
using Requesty.Management.Domain.ApiKeys;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Support;

/// <summary>
/// One management service per test class, in-process on a real port against the real test
/// PostgreSQL and RabbitMQ. A fresh admin key => its own organisation, so classes never see each
/// other's data; queues are per host and auto-delete.
/// </summary>
public sealed class ManagementHostFixture : IAsyncLifetime
{
    public string AdminKey { get; } = ApiKeySecret.Generate();
    public string OrganizationName { get; } = "Test org " + Guid.NewGuid().ToString("N")[..8];
    public ServiceHost Host { get; private set; } = null!;
    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);

    public async Task InitializeAsync() => Host = await StartHostAsync(AdminKey, OrganizationName);

    public static Task<ServiceHost> StartHostAsync(string adminKey, string organizationName) =>
        ServiceHost.StartAsync(ManagementApp.Build, TestServers.ServiceArgs(
            $"--Bootstrap:AdminKey={adminKey}",
            $"--Bootstrap:OrganizationName={organizationName}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true"));

    /// <summary>A client that authenticates with <paramref name="apiKey"/> (the admin key by default).</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
