using Requesty.Contracts.Keys;
using System.Net;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Servers;

[Collection(McpGatewayCollection.Name)]
public sealed class AuditTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task Configuration_changes_are_audited_without_secret_values()
    {
        var org = Guid.NewGuid();
        var secret = $"audit-canary-{Guid.NewGuid():N}";
        var admin = fixture.Management.IssueKey(org, role: ApiKeyRoles.Admin, permissions: ["manage_write"]);
        var (created, server) = await _api.SendAsync(HttpMethod.Post, "v1/mcp/servers", new
        {
            name = "audited",
            url = "https://mcp.example.com/mcp",
            type = "streamable-http",
            headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {secret}" },
        }, apiKey: admin);
        Assert.Equal(HttpStatusCode.Created, created);
        var id = server.GetProperty("id").GetGuid();
        await _api.EnableToolsAsync(org, id, "search");
        await _api.SendAsync(HttpMethod.Delete, $"v1/mcp/servers/{id}?org_id={org}");

        var (status, entries) = await _api.SendAsync(HttpMethod.Get, "v1/mcp/audit", apiKey: admin);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["server.deleted", "server.tools_enabled", "server.created"],
            entries.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var creation = entries.EnumerateArray().Last();
        Assert.StartsWith("api-key:", creation.GetProperty("actor").GetString());
        Assert.Equal("Authorization", Assert.Single(creation.GetProperty("details").GetProperty("header_names").EnumerateArray()).GetString());
        Assert.Equal("internal-token", entries.EnumerateArray().First().GetProperty("actor").GetString());
        Assert.DoesNotContain(secret, entries.GetRawText());

        await using var command = fixture.Database.CreateCommand("SELECT count(*) FROM mcp.audit_log a WHERE row_to_json(a)::text LIKE @pattern");
        command.Parameters.AddWithValue("pattern", $"%{secret}%");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
