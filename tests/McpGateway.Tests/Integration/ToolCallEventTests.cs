using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Requesty.Contracts.Events;
using Requesty.McpGateway.Tests.Support;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>Every tools/call becomes an McpToolCalled event on the real test vhost, through the mcp.outbox table.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class ToolCallEventTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task A_successful_call_publishes_its_details_once_recorded()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var (org, name, id) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var user = Guid.NewGuid();
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org, userId: user));
        var before = DateTime.UtcNow.AddSeconds(-5);

        await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "hello events" });
        var called = await probe.WaitForAsync(m => m.OrganizationId == org, TimeSpan.FromSeconds(30));

        Assert.Equal(id, called.ServerId);
        Assert.Equal(name, called.ServerName);
        Assert.Equal("echo", called.ToolName);
        Assert.Equal(user, called.UserId);
        Assert.NotEqual(Guid.Empty, called.ApiKeyId);
        Assert.NotEqual(Guid.Empty, called.CallId);
        Assert.True(called.Success);
        Assert.Null(called.ErrorKind);
        Assert.Null(called.ErrorMessage);
        Assert.False(string.IsNullOrEmpty(called.ClientCallId));
        Assert.InRange(called.StartedAt, before, DateTime.UtcNow.AddSeconds(5));
        Assert.True(called.LatencyMs >= 0);
        Assert.Equal("""{"message":"hello events"}""".Length, called.ArgumentsBytes);
        Assert.True(called.ResultBytes > "hello events".Length, $"result bytes {called.ResultBytes}");

        var (status, executions) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/executions?org_id={org}");
        Assert.Equal(HttpStatusCode.OK, status);
        var row = Assert.Single(executions.EnumerateArray());
        Assert.Equal(called.CallId, row.GetProperty("call_id").GetGuid());
        Assert.Equal(called.ArgumentsBytes, row.GetProperty("arguments_bytes").GetInt32());
        Assert.Equal(called.ClientCallId, row.GetProperty("client_call_id").GetString());
        await Eventually.GetAsync(() => OutboxPublishedAsync(called.CallId), TimeSpan.FromSeconds(30), "outbox row marked published");
    }

    [Fact]
    public async Task Failed_calls_publish_their_error_kind()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var org = Guid.NewGuid();
        var echo = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, echo, "fail");
        var down = await _api.CreateServerAsync(org, "down", new Uri("http://127.0.0.1:9/mcp"), "streamable-http");
        await _api.EnableToolsAsync(org, down, "echo");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => client.CallToolAsync("echo-upstream__fail").AsTask());
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => client.CallToolAsync("down__echo").AsTask());
        var refused = await probe.WaitForAsync(m => m.OrganizationId == org && m.ServerName == "echo-upstream", TimeSpan.FromSeconds(30));
        var unreachable = await probe.WaitForAsync(m => m.OrganizationId == org && m.ServerName == "down", TimeSpan.FromSeconds(30));

        Assert.False(refused.Success);
        Assert.Equal("upstream_error", refused.ErrorKind);
        Assert.Contains("upstream exploded", refused.ErrorMessage);
        Assert.False(unreachable.Success);
        Assert.Equal("unreachable", unreachable.ErrorKind);
        Assert.Equal(0, unreachable.ResultBytes);
    }

    [Fact]
    public async Task A_call_served_while_rabbitmq_is_unreachable_is_published_later_from_the_outbox()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        Guid callId;
        // A second gateway replica whose broker is down (nothing listens on port 1); same database.
        await using (var brokerless = await ServiceHost.StartAsync(args => McpGatewayApp.Build(args, b => b.Logging.SetMinimumLevel(LogLevel.Critical)),
            TestServers.ServiceArgs(
                "--RabbitMq:Uri=amqp://requesty:requesty@127.0.0.1:1/requesty_test",
                $"--RabbitMq:QueuePrefix={ServiceWithOwnQueues.NewQueuePrefix()}",
                "--RabbitMq:TemporaryQueues=true",
                $"--Management:Url={fixture.Management.BaseAddress}",
                $"--Mcp:EncryptionKey={McpGatewayFixture.EncryptionKey}",
                "--Mcp:EncryptionKeyId=test-key-1",
                "--Mcp:HealthCheckIntervalSeconds=0",
                "--Mcp:AllowedNetworks=127.0.0.1/32")))
        {
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(brokerless.BaseAddress, "v1/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {fixture.Management.IssueKey(org)}" },
            });
            await using var client = await McpClient.CreateAsync(transport);

            Assert.Contains("outbox", await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "outbox" }));
            callId = await SingleCallIdAsync(org);
        }

        // The healthy replica's publisher sends what the broker-less one could only write down.
        var called = await probe.WaitForAsync(m => m.CallId == callId, TimeSpan.FromSeconds(60));
        Assert.Equal(org, called.OrganizationId);
        Assert.True(called.Success);
        await Eventually.GetAsync(() => OutboxPublishedAsync(callId), TimeSpan.FromSeconds(30), "outbox row marked published");
    }

    [Fact]
    public async Task Members_see_their_own_executions_and_admins_the_whole_organization()
    {
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var user in new[] { alice, bob })
        {
            await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org, userId: user));
            await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "mine" });
        }
        var member = fixture.Management.IssueKey(org, userId: alice, permissions: ["manage_read"]);
        var admin = fixture.Management.IssueKey(org, userId: Guid.NewGuid(), role: Requesty.Contracts.Keys.ApiKeyRoles.Admin, permissions: ["manage_read"]);

        var (memberStatus, memberView) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/executions", apiKey: member);
        var (adminStatus, adminView) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/executions", apiKey: admin);

        Assert.Equal(HttpStatusCode.OK, memberStatus);
        Assert.Equal(alice, Assert.Single(memberView.EnumerateArray()).GetProperty("user_id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, adminStatus);
        Assert.Equal(new[] { alice, bob }.Order(), adminView.EnumerateArray().Select(e => e.GetProperty("user_id").GetGuid()).Order());
    }

    private async Task<Guid> SingleCallIdAsync(Guid org)
    {
        await using var command = fixture.Database.CreateCommand(
            "SELECT o.id FROM mcp.outbox o JOIN mcp.gateway_tool_calls g ON g.id = o.id WHERE g.organization_id = @org");
        command.Parameters.AddWithValue("org", org);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return Assert.Single(ids);
    }

    private async Task<string?> OutboxPublishedAsync(Guid callId)
    {
        await using var command = fixture.Database.CreateCommand("SELECT published_at IS NOT NULL FROM mcp.outbox WHERE id = @id");
        command.Parameters.AddWithValue("id", callId);
        return await command.ExecuteScalarAsync() is true ? "published" : null;
    }
}
