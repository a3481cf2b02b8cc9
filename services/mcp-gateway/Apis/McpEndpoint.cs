using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Requesty.Contracts.Keys;
using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Mcp;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Apis;

/// <summary>
/// Streamable HTTP MCP endpoint on the SDK core (the AspNetCore package is not available): each
/// POST gets a stateless transport and server, answers as text/event-stream, or 202 when the body
/// held only notifications/responses. Stateless mode needs no session affinity between replicas.
/// Every POST must carry the caller's Requesty API key (Bearer); the key picks the organization.
/// </summary>
public static class McpEndpoint
{
    /// <summary>Server-defined JSON-RPC error code for a missing or rejected gateway API key.</summary>
    public const int UnauthorizedCode = -32001;

    public static IEndpointRouteBuilder MapMcpEndpoint(this IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { "/v1/mcp", "/mcp" })
        {
            app.MapPost(path, HandlePostAsync).WithTags("MCP").ExcludeFromDescription();
            // No standalone server-to-client stream and no sessions in stateless mode.
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Delete], () => Results.StatusCode(StatusCodes.Status405MethodNotAllowed))
                .ExcludeFromDescription();
        }
        return app;
    }

    private static async Task HandlePostAsync(
        HttpContext context, GatewayMcpServerOptions serverOptions, ManagementKeyResolver keys, ILoggerFactory loggerFactory)
    {
        var cancellationToken = context.RequestAborted;
        if (await AuthenticateAsync(context, keys, loggerFactory, cancellationToken) is not { } caller) return;

        JsonRpcMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(
                context.Request.Body, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>(), cancellationToken);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            await WriteJsonRpcErrorAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.ParseError, "Body must be one JSON-RPC message.");
            return;
        }

        var transport = new StreamableHttpServerTransport(loggerFactory) { Stateless = true };
        await using var server = McpServer.Create(transport, serverOptions.Create(caller), loggerFactory, context.RequestServices);
        var running = server.RunAsync(cancellationToken);
        try
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache,no-store";
            context.Response.Headers.ContentEncoding = "identity";
            context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();

            var wroteResponse = await transport.HandlePostRequestAsync(message, context.Response.Body, cancellationToken);
            if (!wroteResponse && !context.Response.HasStarted)
            {
                context.Response.Headers.ContentType = default;
                context.Response.Headers.ContentEncoding = default;
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        finally
        {
            await transport.DisposeAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // The client went away or the transport closed; nothing left to answer.
            }
        }
    }

    /// <summary>The caller's gateway API key; otherwise answers 401 (or 503) with a JSON-RPC error body and returns null.</summary>
    private static async Task<ApiKeyContext?> AuthenticateAsync(
        HttpContext context, ManagementKeyResolver keys, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var apiKey = BearerToken.From(context.Request);
        ApiKeyContext? caller = null;
        if (apiKey is not null)
        {
            try
            {
                caller = await keys.ResolveAsync(apiKey, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                loggerFactory.CreateLogger(typeof(McpEndpoint)).LogError(e, "API key lookup at management failed");
                await WriteJsonRpcErrorAsync(context, StatusCodes.Status503ServiceUnavailable, (int)McpErrorCode.InternalError,
                    "The API key could not be verified right now; retry shortly.");
                return null;
            }
        }
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteJsonRpcErrorAsync(context, StatusCodes.Status401Unauthorized, UnauthorizedCode,
                apiKey is null ? "Send your Requesty API key as 'Authorization: Bearer <key>'." : "The API key is invalid, revoked or expired.");
        }
        return caller;
    }

    private static Task WriteJsonRpcErrorAsync(HttpContext context, int status, int code, string message)
    {
        var error = new JsonRpcError { Id = default, Error = new JsonRpcErrorDetail { Code = code, Message = message } };
        return Results.Json(error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>(), statusCode: status).ExecuteAsync(context);
    }
}
