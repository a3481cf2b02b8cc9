using System.Net;
using System.Text;
using System.Text.Json;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Servers;

[Collection(McpGatewayCollection.Name)]
public sealed class ServersApiTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task A_registered_server_shows_header_names_but_never_their_values()
    {
        var org = Guid.NewGuid();
        var secret = $"Bearer secret-{Guid.NewGuid():N}";

        var (status, created) = await _api.SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={org}", new
        {
            name = "github",
            url = "https://api.githubcopilot.com/mcp/",
            type = "streamable-http",
            headers = new Dictionary<string, string> { ["Authorization"] = secret, ["X-Team"] = "platform-secret" },
            allow_user_keys = true,
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("github", created.GetProperty("name").GetString());
        Assert.Equal("streamable-http", created.GetProperty("type").GetString());
        Assert.True(created.GetProperty("allow_user_keys").GetBoolean());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal("configured", created.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("configured", created.GetProperty("headers").GetProperty("X-Team").GetString());

        var (_, fetched) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{created.GetProperty("id").GetGuid()}?org_id={org}");
        var (_, listed) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers?org_id={org}");
        foreach (var body in new[] { created, fetched, listed })
        {
            Assert.DoesNotContain("secret", body.GetRawText());
        }
        Assert.Equal("github", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_database_holds_no_plaintext_header_value()
    {
        var org = Guid.NewGuid();
        var secret = $"plaintext-canary-{Guid.NewGuid():N}";
        var id = await _api.CreateServerAsync(org, "canary", new Uri("https://mcp.example.com/mcp"), "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {secret}" });

        await using var command = fixture.Database.CreateCommand(
            "SELECT row_to_json(s)::text, headers_ciphertext, headers_key_id, header_names FROM mcp.servers s WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var rowText = reader.GetString(0);
        var ciphertext = reader.GetFieldValue<byte[]>(1);

        Assert.DoesNotContain(secret, rowText);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), rowText);
        Assert.Equal(-1, ciphertext.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal("test-key-1", reader.GetString(2));
        Assert.Equal(["Authorization"], reader.GetFieldValue<string[]>(3));
    }

    [Fact]
    public async Task Names_are_unique_per_organization_ignoring_case()
    {
        var org = Guid.NewGuid();
        await _api.CreateServerAsync(org, "linear", new Uri("https://mcp.linear.app/sse"), "sse");

        var (duplicate, problem) = await _api.SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={org}",
            new { name = "Linear", url = "https://mcp.linear.app/sse", type = "sse" });
        var (otherOrganization, _) = await _api.SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={Guid.NewGuid()}",
            new { name = "linear", url = "https://mcp.linear.app/sse", type = "sse" });

        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(HttpStatusCode.Created, otherOrganization);
    }

    [Fact]
    public async Task Invalid_fields_are_reported_per_field()
    {
        var (status, problem) = await _api.SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={Guid.NewGuid()}", new
        {
            name = "bad__name",
            url = "ftp://example.com/mcp",
            type = "websocket",
            headers = new Dictionary<string, string> { ["Content-Type"] = "text/plain", ["Bad Header"] = "x" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "url", "type", "headers.Content-Type", "headers.Bad Header" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Update_keeps_headers_when_omitted_and_delete_removes_the_server()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "notion", new Uri("https://mcp.notion.com/mcp"), "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer ntn_secret" });

        var (updatedStatus, updated) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}?org_id={org}",
            new { name = "notion-docs", url = "https://mcp.notion.com/sse", type = "sse", enabled = false });
        Assert.Equal(HttpStatusCode.OK, updatedStatus);
        Assert.Equal("notion-docs", updated.GetProperty("name").GetString());
        Assert.Equal("sse", updated.GetProperty("type").GetString());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("configured", updated.GetProperty("headers").GetProperty("Authorization").GetString());

        var (otherOrganization, _) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}?org_id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, otherOrganization);

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, $"v1/mcp/servers/{id}?org_id={org}");
        var (afterDelete, problem) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}?org_id={org}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_registry_requires_the_internal_token()
    {
        using var response = await fixture.Client.GetAsync($"v1/mcp/servers?org_id={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("streamable-http")]
    [InlineData("sse")]
    public async Task Explore_lists_the_upstream_tools_with_schemas_and_enabled_flags(string type)
    {
        var (org, _, id) = await _api.RegisterEverythingAsync(type, "echo");

        var (status, explored) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/explore?org_id={org}");

        Assert.Equal(HttpStatusCode.OK, status);
        var tools = explored.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Contains("get-sum", tools.Keys);
        Assert.True(tools["echo"].GetProperty("enabled").GetBoolean());
        Assert.False(tools["get-sum"].GetProperty("enabled").GetBoolean());
        Assert.Equal("Echoes back the input string", tools["echo"].GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Object, tools["get-sum"].GetProperty("input_schema").GetProperty("properties").GetProperty("a").ValueKind);
    }

    [Fact]
    public async Task Explore_of_an_unreachable_server_is_502()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "down", new Uri("http://127.0.0.1:9/mcp"), "streamable-http");

        var (status, problem) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/explore?org_id={org}");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("'down'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Swagger_documents_the_registry()
    {
        var paths = await OpenApiDocument.PathsAsync(fixture.Client);

        foreach (var path in new[]
                 {
                     "/v1/mcp/servers", "/v1/mcp/servers/{id}", "/v1/mcp/servers/{id}/explore", "/v1/mcp/servers/{id}/tools",
                     "/v1/mcp/servers/{id}/user-keys", "/v1/mcp/servers/{id}/health", "/v1/mcp/templates",
                 })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is not documented");
        }
    }

    [Fact]
    public async Task Templates_cover_the_popular_servers()
    {
        var (status, templates) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/templates?org_id={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, status);
        var byId = templates.EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        Assert.Equal(["asana", "context7", "github", "linear", "notion"], byId.Keys.Order());
        Assert.Equal("https://mcp.linear.app/sse", byId["linear"].GetProperty("url").GetString());
        Assert.Equal("sse", byId["linear"].GetProperty("type").GetString());
        Assert.Equal("Bearer {{API_KEY}}", byId["github"].GetProperty("headers").GetProperty("Authorization").GetString());
    }
}
