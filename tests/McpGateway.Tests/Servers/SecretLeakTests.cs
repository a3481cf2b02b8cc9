using System.Net;
using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Servers;

[Collection(McpGatewayCollection.Name)]
public sealed class SecretLeakTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task Header_values_never_reach_the_logs()
    {
        var org = Guid.NewGuid();
        var orgSecret = $"org-log-canary-{Guid.NewGuid():N}";
        var userSecret = $"user-log-canary-{Guid.NewGuid():N}";
        var good = await _api.CreateServerAsync(org, "echo-upstream", fixture.HeaderEchoUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["X-Team"] = orgSecret, ["Authorization"] = "Bearer {{API_KEY}}" }, allowUserKeys: true);
        await _api.EnableToolsAsync(org, good, "authorization_sha256", "fail");
        var down = await _api.CreateServerAsync(org, "down", new Uri("http://127.0.0.1:9/mcp"), "sse",
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {orgSecret}" });
        await _api.EnableToolsAsync(org, down, "echo");
        var user = fixture.Management.IssueKey(org);
        var (stored, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{good}/user-keys/me",
            new { variables = new Dictionary<string, string> { ["API_KEY"] = userSecret } }, apiKey: user);
        Assert.Equal(HttpStatusCode.OK, stored);

        await using var client = await _api.ConnectAsync(user);
        // The upstream proves it got the user's value without echoing it (the SDK traces message contents).
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"Bearer {userSecret}"))),
            await GatewayApi.CallTextAsync(client, "echo-upstream__authorization_sha256"));
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo-upstream__fail").AsTask());
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("down__echo").AsTask());
        await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{down}/explore?org_id={org}");
        await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{down}/health?org_id={org}&refresh=true");

        var entries = fixture.Logs.Entries.ToList();
        Assert.Contains(entries, e => e.Category.StartsWith("System.Net.Http.HttpClient.mcp-upstream", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains(orgSecret) || e.Text.Contains(userSecret));
    }
}
