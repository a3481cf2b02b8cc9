using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Requesty.McpGateway.Tests.Support;

/// <summary>
/// A small upstream MCP server (SDK core, stateless streamable HTTP on 127.0.0.1) whose tools show
/// which credentials reached it: "whoami" returns the Authorization and X-Team headers,
/// "authorization_sha256" proves the Authorization header without revealing it, "fail"
/// answers a JSON-RPC error. Requests with "Authorization: Bearer rejected" get 401.
/// </summary>
public sealed class HeaderEchoServer : IAsyncDisposable
{
    public const int FailCode = -32050;
    private readonly WebApplication _app;

    private HeaderEchoServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> InitializeCounts = new(StringComparer.Ordinal);

    /// <summary>How many MCP handshakes (initialize or server/discover) arrived with this exact Authorization header (tests use unique values).</summary>
    public static int InitializeCount(string authorization) => InitializeCounts.GetValueOrDefault(authorization);

    /// <param name="port">0 for any free port; a former server's port to bring "the same" upstream back.</param>
    public static async Task<HeaderEchoServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/mcp", HandleAsync);
        app.MapMethods("/mcp", [HttpMethods.Get, HttpMethods.Delete], () => Results.StatusCode(StatusCodes.Status405MethodNotAllowed));
        await app.StartAsync();
        return new HeaderEchoServer(app, new Uri(new Uri(app.Urls.First()), "/mcp"));
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization == "Bearer rejected")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var team = context.Request.Headers["X-Team"].ToString();
        var message = await JsonSerializer.DeserializeAsync(
            context.Request.Body, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>(), context.RequestAborted);
        // "server/discover" is the handshake of the newer stateless protocol revision.
        if (message is JsonRpcRequest { Method: RequestMethods.Initialize or RequestMethods.ServerDiscover })
            InitializeCounts.AddOrUpdate(authorization, 1, (_, count) => count + 1);

        var transport = new StreamableHttpServerTransport(NullLoggerFactory.Instance) { Stateless = true };
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "header-echo", Version = "1.0.0" },
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult
                {
                    Tools =
                    [
                        new Tool { Name = "whoami", Description = "Shows the credentials that arrived.", InputSchema = EmptySchema() },
                        new Tool { Name = "fail", Description = "Always fails.", InputSchema = EmptySchema() },
                        new Tool { Name = "sleep", Description = "Answers after a minute (timeouts).", InputSchema = EmptySchema() },
                        new Tool { Name = "authorization_sha256", Description = "SHA-256 (hex) of the Authorization header.", InputSchema = EmptySchema() },
                    ],
                }),
                CallToolHandler = async (request, cancellationToken) => request.Params?.Name switch
                {
                    "sleep" => await SleepAsync(cancellationToken),
                    "whoami" => new CallToolResult
                    {
                        Content = [new TextContentBlock { Text = $"Authorization={authorization}; X-Team={team}" }],
                    },
                    "authorization_sha256" => new CallToolResult
                    {
                        Content = [new TextContentBlock { Text = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(authorization))) }],
                    },
                    "fail" => throw new McpProtocolException("upstream exploded", (McpErrorCode)FailCode),
                    _ => throw new McpProtocolException("unknown tool", McpErrorCode.InvalidParams),
                },
            },
        };
        await using var server = McpServer.Create(transport, options, NullLoggerFactory.Instance, context.RequestServices);
        var running = server.RunAsync(context.RequestAborted);
        context.Response.Headers.ContentType = "text/event-stream";
        var wrote = await transport.HandlePostRequestAsync(message!, context.Response.Body, context.RequestAborted);
        if (!wrote && !context.Response.HasStarted)
        {
            context.Response.Headers.ContentType = default;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
        await transport.DisposeAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // The request ended; nothing left to answer.
        }
    }

    private static async Task<CallToolResult> SleepAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
        return new CallToolResult { Content = [new TextContentBlock { Text = "woke up" }] };
    }

    private static JsonElement EmptySchema() => JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
