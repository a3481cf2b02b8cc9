using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Requesty.McpGateway.Mcp;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;
using Requesty.TestKit;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Mcp;

/// <summary>Upstream sessions are initialised once per server and credential set and then reused.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class SessionPoolTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task Many_calls_from_several_clients_share_one_upstream_initialize()
    {
        var org = Guid.NewGuid();
        var authorization = $"Bearer pool-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-pool", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = authorization });
        await _api.EnableToolsAsync(org, id, "whoami");
        await using var first = await _api.ConnectAsync(fixture.Management.IssueKey(org));
        await using var second = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        for (var i = 0; i < 3; i++) await GatewayApi.CallTextAsync(first, "echo-pool__whoami");
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => GatewayApi.CallTextAsync(i % 2 == 0 ? first : second, "echo-pool__whoami")));
        await second.ListToolsAsync();

        Assert.All(concurrent, text => Assert.Contains(authorization, text));
        Assert.Equal(1, HeaderEchoServer.InitializeCount(authorization));
    }

    [Fact]
    public async Task Changing_the_server_starts_a_new_upstream_session()
    {
        var org = Guid.NewGuid();
        var authorization = $"Bearer pool-change-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-change", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = authorization });
        await _api.EnableToolsAsync(org, id, "whoami");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await GatewayApi.CallTextAsync(client, "echo-change__whoami");
        await GatewayApi.CallTextAsync(client, "echo-change__whoami");
        var (status, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}?org_id={org}",
            new { name = "echo-change", url = fixture.HeaderEchoUpstream.Endpoint.ToString(), type = "streamable-http", allow_user_keys = true });
        Assert.Equal(HttpStatusCode.OK, status);
        await GatewayApi.CallTextAsync(client, "echo-change__whoami");
        await GatewayApi.CallTextAsync(client, "echo-change__whoami");

        Assert.Equal(2, HeaderEchoServer.InitializeCount(authorization));
    }

    [Fact]
    public async Task A_different_credential_set_gets_its_own_session()
    {
        var org = Guid.NewGuid();
        var team = $"team-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-users", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer {{API_KEY}}" }, allowUserKeys: true);
        await _api.EnableToolsAsync(org, id, "whoami");
        var (aliceId, bobId) = (Guid.NewGuid(), Guid.NewGuid());
        var (aliceAuth, bobAuth) = ($"Bearer alice-{team}", $"Bearer bob-{team}");
        foreach (var (user, value) in new[] { (aliceId, $"alice-{team}"), (bobId, $"bob-{team}") })
        {
            var (status, body) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me?org_id={org}&user_id={user}",
                new { variables = new Dictionary<string, string> { ["API_KEY"] = value } });
            Assert.True(status == HttpStatusCode.OK, $"user keys answered {status}: {body}");
        }
        // Storing user keys tests them against the upstream once (its own handshake).
        var (aliceBefore, bobBefore) = (HeaderEchoServer.InitializeCount(aliceAuth), HeaderEchoServer.InitializeCount(bobAuth));
        await using var alice = await _api.ConnectAsync(fixture.Management.IssueKey(org, userId: aliceId));
        await using var bob = await _api.ConnectAsync(fixture.Management.IssueKey(org, userId: bobId));

        var texts = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            texts.Add(await GatewayApi.CallTextAsync(alice, "echo-users__whoami"));
            texts.Add(await GatewayApi.CallTextAsync(bob, "echo-users__whoami"));
        }

        Assert.Equal(2, texts.Count(t => t.Contains(aliceAuth)));
        Assert.Equal(2, texts.Count(t => t.Contains(bobAuth)));
        Assert.Equal(aliceBefore + 1, HeaderEchoServer.InitializeCount(aliceAuth));
        Assert.Equal(bobBefore + 1, HeaderEchoServer.InitializeCount(bobAuth));
    }

    [Fact]
    public async Task A_call_that_times_out_drops_its_session_and_the_next_call_starts_a_new_one()
    {
        var org = Guid.NewGuid();
        var authorization = $"Bearer pool-fail-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-fail", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = authorization });
        await _api.EnableToolsAsync(org, id, "whoami", "sleep");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await GatewayApi.CallTextAsync(client, "echo-fail__whoami");
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => client.CallToolAsync("echo-fail__sleep").AsTask());
        await GatewayApi.CallTextAsync(client, "echo-fail__whoami");
        await GatewayApi.CallTextAsync(client, "echo-fail__whoami");

        Assert.Equal(2, HeaderEchoServer.InitializeCount(authorization));
    }

    [Fact]
    public async Task An_idle_session_expires_and_is_replaced_on_next_use()
    {
        var org = Guid.NewGuid();
        var authorization = $"Bearer pool-idle-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-idle", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = authorization });
        var server = (await fixture.Host.Services.GetRequiredService<McpServerStore>().FindAsync(org, id, CancellationToken.None))!;
        var headers = new Dictionary<string, string> { ["Authorization"] = authorization };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create(UpstreamSessionPool.IdleSecondsKey, (string?)"1")]).Build();
        await using var pool = new UpstreamSessionPool(fixture.Host.Services.GetRequiredService<UpstreamConnector>(), new ProgressRouter(),
            TimeProvider.System, configuration, NullLogger<UpstreamSessionPool>.Instance);

        await using (var lease = await pool.AcquireAsync(server, headers, CancellationToken.None)) await lease.Client.ListToolsAsync();
        await using (var lease = await pool.AcquireAsync(server, headers, CancellationToken.None)) await lease.Client.ListToolsAsync();
        Assert.Equal(1, pool.Count);
        await Eventually.GetAsync(() => Task.FromResult(pool.Count == 0 ? "expired" : null), TimeSpan.FromSeconds(20), "the idle session expired");
        await using (var lease = await pool.AcquireAsync(server, headers, CancellationToken.None)) await lease.Client.ListToolsAsync();

        Assert.Equal(2, HeaderEchoServer.InitializeCount(authorization));
    }
}
