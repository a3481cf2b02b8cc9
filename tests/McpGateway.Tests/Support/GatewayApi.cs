using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using Requesty.McpGateway.Tests.Integration;

namespace Requesty.McpGateway.Tests.Support;

/// <summary>Short forms for the registry REST calls and for MCP clients against the gateway.</summary>
public sealed class GatewayApi(McpGatewayFixture fixture)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A registry call with the internal token, or with <paramref name="apiKey"/> when given.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string uri, object? body = null, string? apiKey = null)
    {
        using var request = fixture.Authorized(method, uri);
        if (apiKey is not null) request.Headers.Authorization = new("Bearer", apiKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Registers a server and returns its id (asserting 201).</summary>
    public async Task<Guid> CreateServerAsync(
        Guid org, string name, Uri url, string type, Dictionary<string, string>? headers = null, bool allowUserKeys = false)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={org}",
            new { name, url = url.ToString(), type, headers = headers ?? [], allow_user_keys = allowUserKeys });
        Assert.True(status == HttpStatusCode.Created, $"create answered {status}: {body}");
        return body.GetProperty("id").GetGuid();
    }

    public async Task EnableToolsAsync(Guid org, Guid server, params string[] tools)
    {
        var (status, body) = await SendAsync(HttpMethod.Put, $"v1/mcp/servers/{server}/tools?org_id={org}", new { enabled = tools });
        Assert.True(status == HttpStatusCode.OK, $"tools answered {status}: {body}");
    }

    /// <summary>A registered server of the reference upstream with the given tools enabled.</summary>
    public async Task<(Guid Org, string Name, Guid Id)> RegisterEverythingAsync(string type, params string[] tools)
    {
        var org = Guid.NewGuid();
        var name = $"everything-{(type == "sse" ? "sse" : "http")}";
        var upstream = type == "sse" ? fixture.SseUpstream : fixture.StreamableHttpUpstream;
        var id = await CreateServerAsync(org, name, upstream.Endpoint, type);
        await EnableToolsAsync(org, id, tools);
        return (org, name, id);
    }

    /// <summary>The text of a tool call's single text block.</summary>
    public static async Task<string> CallTextAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments ?? []);
        Assert.NotEqual(true, result.IsError);
        return Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(result.Content)).Text;
    }

    /// <summary>One raw JSON-RPC POST to /v1/mcp; returns the status and the whole response text (an SSE stream for requests).</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostMcpAsync(string json, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/mcp") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", apiKey);
        request.Headers.Accept.Add(new("application/json"));
        request.Headers.Accept.Add(new("text/event-stream"));
        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The JSON messages of an SSE body, in order.</summary>
    public static List<JsonElement> SseMessages(string body) => body.Split('\n')
        .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
        .Select(line => JsonDocument.Parse(line["data:".Length..].Trim()).RootElement.Clone())
        .ToList();

    public Task<McpClient> ConnectAsync(string apiKey, string path = "v1/mcp")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(fixture.Host.BaseAddress, path),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {apiKey}" },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }
}
