using System.Net;
using System.Text;
using ModelContextProtocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.UserKeys;

/// <summary>Which credentials reach the upstream: organization headers, a user's own keys, templates.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class CredentialTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task The_organization_headers_reach_the_upstream()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer org-token", ["X-Team"] = "core" });
        await _api.EnableToolsAsync(org, id, "whoami");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        Assert.Equal("Authorization=Bearer org-token; X-Team=core", await GatewayApi.CallTextAsync(client, "echo-upstream__whoami"));
    }

    [Fact]
    public async Task A_user_key_overrides_the_organization_key_for_that_user_only()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer org-token", ["X-Team"] = "core" }, allowUserKeys: true);
        await _api.EnableToolsAsync(org, id, "whoami");
        var alice = fixture.Management.IssueKey(org);
        var bob = fixture.Management.IssueKey(org);

        var (status, stored) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer alice-token" } }, apiKey: alice);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("configured", stored.GetProperty("status").GetString());
        Assert.DoesNotContain("alice-token", stored.GetRawText());

        await using var aliceClient = await _api.ConnectAsync(alice);
        await using var bobClient = await _api.ConnectAsync(bob);
        Assert.Equal("Authorization=Bearer alice-token; X-Team=core", await GatewayApi.CallTextAsync(aliceClient, "echo-upstream__whoami"));
        Assert.Equal("Authorization=Bearer org-token; X-Team=core", await GatewayApi.CallTextAsync(bobClient, "echo-upstream__whoami"));
    }

    [Fact]
    public async Task A_missing_template_variable_is_a_clear_error_until_the_user_sets_it()
    {
        var org = Guid.NewGuid();
        var secret = $"user-canary-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer {{API_KEY}}" }, allowUserKeys: true);
        await _api.EnableToolsAsync(org, id, "whoami");
        var userId = Guid.NewGuid();
        var user = fixture.Management.IssueKey(org, userId: userId);
        await using var client = await _api.ConnectAsync(user);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo-upstream__whoami").AsTask());
        Assert.Contains("{{API_KEY}}", error.Message);
        Assert.Contains($"/v1/mcp/servers/{id}/user-keys", error.Message);
        var (_, before) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/user-keys/me", apiKey: user);
        Assert.Equal("missing", before.GetProperty("status").GetString());
        Assert.Equal("API_KEY", Assert.Single(before.GetProperty("missing_variables").EnumerateArray()).GetString());

        var (status, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys",
            new { variables = new Dictionary<string, string> { ["API_KEY"] = secret } }, apiKey: user);
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal($"Authorization=Bearer {secret}; X-Team=", await GatewayApi.CallTextAsync(client, "echo-upstream__whoami"));
        var (_, adminView) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/user-keys?org_id={org}");
        var row = Assert.Single(adminView.EnumerateArray());
        Assert.Equal(userId, row.GetProperty("user_id").GetGuid());
        Assert.Equal("configured", row.GetProperty("status").GetString());
        Assert.DoesNotContain(secret, adminView.GetRawText());

        await using var command = fixture.Database.CreateCommand("SELECT row_to_json(k)::text, ciphertext FROM mcp.user_keys k WHERE server_id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.DoesNotContain(secret, reader.GetString(0));
        Assert.Equal(-1, reader.GetFieldValue<byte[]>(1).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
    }

    [Fact]
    public async Task User_keys_are_refused_when_the_server_does_not_allow_them()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "org-only", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");

        var (status, problem) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer mine" } }, apiKey: fixture.Management.IssueKey(org));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("does not allow user keys", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_upstream_error_becomes_an_mcp_error_with_its_code()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "fail");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo-upstream__fail").AsTask());

        Assert.Equal((McpErrorCode)HeaderEchoServer.FailCode, error.ErrorCode);
        Assert.Contains("'echo-upstream' refused the call: upstream exploded", error.Message);
    }

    [Fact]
    public async Task Proxied_calls_are_recorded_without_arguments()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "whoami", "fail");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await GatewayApi.CallTextAsync(client, "echo-upstream__whoami");
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo-upstream__fail").AsTask());

        await using var command = fixture.Database.CreateCommand(
            "SELECT tool_name, success, server_id FROM mcp.gateway_tool_calls WHERE organization_id = @org ORDER BY called_at, tool_name DESC");
        command.Parameters.AddWithValue("org", org);
        var rows = new List<(string, bool, Guid)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetGuid(2)));
        Assert.Equal([("whoami", true, id), ("fail", false, id)], rows);

        var (_, usage) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/gateway-usage?org_id={org}");
        var perTool = usage.EnumerateArray().ToDictionary(u => u.GetProperty("tool_name").GetString()!);
        Assert.Equal((1L, 0L), (perTool["whoami"].GetProperty("calls").GetInt64(), perTool["whoami"].GetProperty("failures").GetInt64()));
        Assert.Equal((1L, 1L), (perTool["fail"].GetProperty("calls").GetInt64(), perTool["fail"].GetProperty("failures").GetInt64()));
        Assert.Equal("echo-upstream", perTool["fail"].GetProperty("server_name").GetString());
    }

    [Fact]
    public async Task A_call_the_upstream_never_answers_times_out_with_a_clear_error()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "sleep");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo-upstream__sleep").AsTask());

        Assert.Equal(McpErrorCode.InternalError, error.ErrorCode);
        Assert.Contains($"did not answer within {McpGatewayFixture.ToolCallTimeoutSeconds} s", error.Message);
    }

    [Fact]
    public async Task User_credentials_the_upstream_refuses_are_shown_as_invalid_until_replaced()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer org-token" }, allowUserKeys: true);
        var userId = Guid.NewGuid();
        var user = fixture.Management.IssueKey(org, userId: userId);

        var (_, refused) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer rejected" } }, apiKey: user);
        var (_, adminView) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/user-keys?org_id={org}");
        var (_, accepted) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer fine" } }, apiKey: user);

        Assert.Equal("invalid", refused.GetProperty("status").GetString());
        Assert.Contains("401", refused.GetProperty("rejection").GetString());
        Assert.Equal("invalid", Assert.Single(adminView.EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("configured", accepted.GetProperty("status").GetString());
    }
}
