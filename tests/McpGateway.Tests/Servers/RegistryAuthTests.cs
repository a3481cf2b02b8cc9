using Requesty.Contracts.Keys;
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
        var admin = fixture.Management.IssueKey(org, role: ApiKeyRoles.Admin, permissions: ["manage_read", "manage_write"]);

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
    public async Task A_member_key_with_manage_write_reads_but_cannot_change_the_registry()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "shared", new Uri("https://mcp.example.com/mcp"), "streamable-http", allowUserKeys: true);
        var member = fixture.Management.IssueKey(org, role: ApiKeyRoles.Member, permissions: ["manage_read", "manage_write"]);
        var change = new { name = "shared", url = "https://mcp.example.com/other", type = "streamable-http" };

        var (list, listed) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/servers", apiKey: member);
        var (create, problem) = await _api.SendAsync(HttpMethod.Post, "v1/mcp/servers",
            new { name = "mine", url = "https://mcp.example.com/mcp", type = "sse" }, apiKey: member);
        var (update, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}", change, apiKey: member);
        var (tools, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/tools", new { enabled = new[] { "echo" } }, apiKey: member);
        var (delete, _) = await _api.SendAsync(HttpMethod.Delete, $"v1/mcp/servers/{id}", apiKey: member);
        var (ownKeys, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}/user-keys/me",
            new { headers = new Dictionary<string, string> { ["X-Team"] = "blue" } }, apiKey: member);

        Assert.Equal(HttpStatusCode.OK, list);
        Assert.Equal("shared", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, create);
        Assert.Contains("admin", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, update);
        Assert.Equal(HttpStatusCode.Forbidden, tools);
        Assert.Equal(HttpStatusCode.Forbidden, delete);
        Assert.Equal(HttpStatusCode.OK, ownKeys);
    }

    [Fact]
    public async Task An_admin_key_without_manage_write_cannot_change_the_registry()
    {
        var admin = fixture.Management.IssueKey(Guid.NewGuid(), role: ApiKeyRoles.Admin, permissions: ["manage_read"]);

        var (create, _) = await _api.SendAsync(HttpMethod.Post, "v1/mcp/servers",
            new { name = "x", url = "https://mcp.example.com/mcp", type = "sse" }, apiKey: admin);

        Assert.Equal(HttpStatusCode.Forbidden, create);
    }

    [Fact]
    public async Task A_key_cannot_reach_into_another_organization()
    {
        var admin = fixture.Management.IssueKey(Guid.NewGuid(), role: ApiKeyRoles.Admin, permissions: ["manage_write"]);

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
