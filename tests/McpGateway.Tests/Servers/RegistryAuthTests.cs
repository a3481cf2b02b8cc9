using System.Net;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Servers;

/// <summary>The registry with callers' own API keys instead of the internal token.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class RegistryAuthTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task An_admin_key_manages_its_own_organization_without_org_id()
    {
        var org = Guid.NewGuid();
        var admin = fixture.Management.IssueKey(org, permissions: ["manage_read", "manage_write"]);

        var (created, body) = await _api.SendAsync(HttpMethod.Post, "v1/mcp/servers",
            new { name = "context7", url = "https://mcp.context7.com/mcp", type = "streamable-http" }, apiKey: admin);
        var (_, internalView) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers?org_id={org}");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(org, body.GetProperty("org_id").GetGuid());
        Assert.Equal("context7", Assert.Single(internalView.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_chat_only_key_can_neither_list_nor_change_servers()
    {
        var member = fixture.Management.IssueKey(Guid.NewGuid());

        var (list, _) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/servers", apiKey: member);
        var (create, _) = await _api.SendAsync(HttpMethod.Post, "v1/mcp/servers",
            new { name = "x", url = "https://example.com/mcp", type = "sse" }, apiKey: member);

        Assert.Equal(HttpStatusCode.Forbidden, list);
        Assert.Equal(HttpStatusCode.Forbidden, create);
    }

    [Fact]
    public async Task A_key_cannot_reach_into_another_organization()
    {
        var admin = fixture.Management.IssueKey(Guid.NewGuid(), permissions: ["manage_write"]);

        var (status, _) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers?org_id={Guid.NewGuid()}", apiKey: admin);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        var (status, problem) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/servers", apiKey: "rqsty-sk-unknown");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }
}
