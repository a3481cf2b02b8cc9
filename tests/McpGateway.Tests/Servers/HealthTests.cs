using System.Net;
using ModelContextProtocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Servers;

[Collection(McpGatewayCollection.Name)]
public sealed class HealthTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task A_reachable_server_is_healthy_with_its_tool_count()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "whoami");

        var health = await CheckAsync(org, id);

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(4, health.GetProperty("tool_count").GetInt32());
    }

    [Fact]
    public async Task A_disabled_server_reports_disabled()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "off", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}?org_id={org}",
            new { name = "off", url = fixture.HeaderEchoUpstream.Endpoint.ToString(), type = "streamable-http", enabled = false });

        Assert.Equal("disabled", (await CheckAsync(org, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rejected_credentials_are_an_error()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "bad-auth", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer rejected" });

        var health = await CheckAsync(org, id);

        Assert.Equal("error", health.GetProperty("status").GetString());
        Assert.Contains("401", health.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_whitelisted_tool_that_disappeared_is_a_warning()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "whoami", "retired_tool");

        var health = await CheckAsync(org, id);

        Assert.Equal("warning", health.GetProperty("status").GetString());
        Assert.Contains("retired_tool", health.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_upstream_that_goes_down_turns_error_fails_calls_clearly_and_recovers()
    {
        var upstream = await HeaderEchoServer.StartAsync();
        var port = upstream.Endpoint.Port;
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "flaky", upstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "whoami");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));
        Assert.Equal("healthy", (await CheckAsync(org, id)).GetProperty("status").GetString());

        await upstream.DisposeAsync();
        Assert.Equal("error", (await CheckAsync(org, id)).GetProperty("status").GetString());
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("flaky__whoami").AsTask());
        Assert.Contains("'flaky' is unreachable", error.Message);

        await using var restarted = await HeaderEchoServer.StartAsync(port);
        Assert.Equal("healthy", (await CheckAsync(org, id)).GetProperty("status").GetString());
        Assert.StartsWith("Authorization=", await GatewayApi.CallTextAsync(client, "flaky__whoami"));
    }

    private async Task<System.Text.Json.JsonElement> CheckAsync(Guid org, Guid id)
    {
        var (status, health) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/health?org_id={org}&refresh=true");
        Assert.True(status == HttpStatusCode.OK, $"health answered {status}: {health}");
        return health;
    }
}
