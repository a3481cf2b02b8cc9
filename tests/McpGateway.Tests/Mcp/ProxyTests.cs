using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Mcp;

/// <summary>The official C# client against /v1/mcp, with the npm reference server as upstream.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class ProxyTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Theory]
    [InlineData("streamable-http")]
    [InlineData("sse")]
    public async Task Only_whitelisted_tools_are_listed_namespaced_by_server(string type)
    {
        var (org, name, _) = await _api.RegisterEverythingAsync(type, "echo", "get-sum");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var tools = await client.ListToolsAsync();

        Assert.Equal([$"{name}__echo", $"{name}__get-sum", "requesty_ping"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var sum = tools.Single(t => t.Name == $"{name}__get-sum");
        Assert.Equal("Returns the sum of two numbers", sum.Description);
        Assert.True(sum.JsonSchema.GetProperty("properties").TryGetProperty("b", out _));
    }

    [Theory]
    [InlineData("streamable-http")]
    [InlineData("sse")]
    public async Task Echo_and_get_sum_are_proxied_to_the_upstream(string type)
    {
        var (org, name, _) = await _api.RegisterEverythingAsync(type, "echo", "get-sum");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var echo = await client.CallToolAsync($"{name}__echo", new Dictionary<string, object?> { ["message"] = "hello gateway" });
        var sum = await client.CallToolAsync($"{name}__get-sum", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 40 });

        Assert.NotEqual(true, echo.IsError);
        Assert.Contains("hello gateway", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.NotEqual(true, sum.IsError);
        Assert.Contains("42", Assert.IsType<TextContentBlock>(Assert.Single(sum.Content)).Text);
    }

    [Fact]
    public async Task A_tool_that_is_not_whitelisted_is_refused()
    {
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync($"{name}__get-sum", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 }).AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("not enabled", error.Message);
    }

    [Fact]
    public async Task A_disabled_server_is_neither_listed_nor_callable()
    {
        var (org, name, id) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var (status, _) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}?org_id={org}",
            new { name, url = fixture.StreamableHttpUpstream.Endpoint.ToString(), type = "streamable-http", enabled = false });
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var tools = await client.ListToolsAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync($"{name}__echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());

        Assert.Equal(["requesty_ping"], tools.Select(t => t.Name));
        Assert.Contains("disabled", error.Message);
    }

    [Fact]
    public async Task Another_organization_sees_none_of_the_tools()
    {
        var (_, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(Guid.NewGuid()));

        var tools = await client.ListToolsAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync($"{name}__echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());

        Assert.Equal(["requesty_ping"], tools.Select(t => t.Name));
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_a_clear_mcp_error_and_hides_only_its_own_tools()
    {
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var down = await _api.CreateServerAsync(org, "down", new Uri("http://127.0.0.1:9/mcp"), "streamable-http");
        await _api.EnableToolsAsync(org, down, "echo");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var tools = await client.ListToolsAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("down__echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());

        Assert.Equal([$"{name}__echo", "requesty_ping"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(McpErrorCode.InternalError, error.ErrorCode);
        Assert.Contains("'down' is unreachable", error.Message);
    }

    [Fact]
    public async Task A_header_template_without_a_value_is_a_clear_error()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "templated", fixture.StreamableHttpUpstream.Endpoint, "streamable-http",
            new Dictionary<string, string> { ["Authorization"] = "Bearer {{API_KEY}}" });
        await _api.EnableToolsAsync(org, id, "echo");
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("templated__echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());

        Assert.Contains("{{API_KEY}}", error.Message);
    }
}
