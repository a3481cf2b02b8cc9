using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Mcp;

[Collection(McpGatewayCollection.Name)]
public sealed class McpEndpointTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);
    private readonly string _apiKey = fixture.Management.IssueKey(Guid.NewGuid());

    [Theory]
    [InlineData("v1/mcp")]
    [InlineData("mcp")]
    public async Task The_official_client_connects_and_lists_tools(string path)
    {
        await using var client = await ConnectAsync(path);

        Assert.Equal("requesty-mcp-gateway", client.ServerInfo?.Name);
        var tools = await client.ListToolsAsync();
        // A new organization has no servers yet: only the built-in tool.
        var ping = Assert.Single(tools);
        Assert.Equal("requesty_ping", ping.Name);
    }

    [Fact]
    public async Task The_official_client_calls_the_built_in_ping_tool()
    {
        await using var client = await ConnectAsync("v1/mcp");

        var result = await client.CallToolAsync("requesty_ping", new Dictionary<string, object?> { ["message"] = "hello" });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("pong: hello", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Calling_an_unknown_tool_is_an_invalid_params_error()
    {
        await using var client = await ConnectAsync("v1/mcp");

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no_such_tool").AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task A_notification_is_accepted_with_202()
    {
        using var response = await PostRawAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_request_is_answered_as_an_event_stream()
    {
        using var response = await PostRawAsync("""
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-test","version":"1"}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("data: ", body);
        Assert.Contains("\"requesty-mcp-gateway\"", body);
    }

    [Fact]
    public async Task A_body_that_is_not_json_rpc_is_rejected()
    {
        using var response = await PostRawAsync("this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("-32700", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_is_not_offered_in_stateless_mode()
    {
        using var response = await fixture.Client.GetAsync("v1/mcp");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_an_api_key_is_401_with_a_json_rpc_error()
    {
        using var response = await PostRawAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(-32001, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_wrong_api_key_is_401()
    {
        using var response = await PostRawAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", apiKey: "rqsty-sk-not-a-real-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_api_key_is_401()
    {
        var expired = fixture.Management.IssueKey(Guid.NewGuid(), expiresAt: DateTime.UtcNow.AddMinutes(-1));

        using var response = await PostRawAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", apiKey: expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_official_client_cannot_connect_with_a_wrong_key()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => _api.ConnectAsync("rqsty-sk-wrong"));
    }

    private Task<McpClient> ConnectAsync(string path) => _api.ConnectAsync(_apiKey, path);

    private async Task<HttpResponseMessage> PostRawAsync(string json, string? apiKey = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/mcp")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Length == 0 ? _apiKey : apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await fixture.Client.SendAsync(request);
    }
}
