using System.Net.Http.Headers;
using System.Security.Cryptography;
using Requesty.Alerts;
using Requesty.Analytics;
using Requesty.Management;
using Requesty.McpGateway;
using Requesty.ProviderSimulator;
using Requesty.Router;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests;

/// <summary>
/// The whole suite in one process on real Kestrel ports: simulator, management (bootstrapping a
/// fresh organisation for this run), analytics, alerts, MCP gateway and the router, all against
/// the real PostgreSQL, RabbitMQ and ClickHouse test databases. Queues are private to this run.
/// </summary>
public sealed class SuiteFixture : IAsyncLifetime
{
    private readonly List<ServiceHost> _hosts = [];
    private readonly TemporaryDirectory _journal = new("e2e-journal-");

    public string AdminKey { get; } = "rqsty-sk-" + Base64Url(RandomNumberGenerator.GetBytes(32));
    public ServiceHost Simulator { get; private set; } = null!;
    public ServiceHost Management { get; private set; } = null!;
    public ServiceHost Analytics { get; private set; } = null!;
    public ServiceHost Alerts { get; private set; } = null!;
    public ServiceHost McpGateway { get; private set; } = null!;
    public ServiceHost Router { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var queues = $"e2e-{Guid.NewGuid():N}-";
        string[] Args(params string[] extra) => TestServers.ServiceArgs([
            $"--RabbitMq:QueuePrefix={queues}", "--RabbitMq:TemporaryQueues=true", .. extra]);

        Simulator = await Start(SimulatorApp.Build);
        // Analytics first: management serves a key's usage from it (GET /v1/manage/apikey/{id}).
        Analytics = await Start(AnalyticsApp.Build, Args());
        Management = await Start(ManagementApp.Build, Args($"--Bootstrap:AdminKey={AdminKey}", "--Bootstrap:OrganizationName=E2E",
            $"--Analytics:Url={Analytics.BaseAddress}"));
        // Alerts reads budgets and key roles from the suite's management; the tests' webhook receivers listen on 127.0.0.1.
        Alerts = await Start(AlertsApp.Build, Args($"--Management:Url={Management.BaseAddress}", "--Alerts:Webhooks:AllowPrivateAddresses=true"));
        McpGateway = await Start(McpGatewayApp.Build, Args());
        Router = await Start(RouterApp.Build, Args(
            $"--Management:Url={Management.BaseAddress}",
            $"--Analytics:Url={Analytics.BaseAddress}",
            $"--Simulator:Url={Simulator.BaseAddress}",
            $"--Journal:Directory={_journal.Path}"));

        // Consumers must have bound their queues before anything is published.
        foreach (var host in new[] { Management, Analytics, Alerts, McpGateway, Router })
        {
            using var http = host.CreateClient();
            await Eventually.GetAsync(async () => (await http.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
                TimeSpan.FromSeconds(60), $"{host.BaseAddress} ready");
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--) await _hosts[i].DisposeAsync();
        _journal.Dispose();
    }

    public HttpClient Client(ServiceHost host, string bearer)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private async Task<ServiceHost> Start(Func<string[], Microsoft.AspNetCore.Builder.WebApplication> build, params string[] args)
    {
        var host = await ServiceHost.StartAsync(build, args);
        _hosts.Add(host);
        return host;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

[CollectionDefinition(Name)]
public sealed class SuiteCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "suite";
}
