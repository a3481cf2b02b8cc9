using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Requesty.McpGateway.Mcp;

namespace Requesty.McpGateway.Apis;

/// <summary>
/// Streamable HTTP MCP endpoint on the SDK core (the AspNetCore package is not available): each
/// POST gets a stateless transport and server, answers as text/event-stream, or 202 when the body
/// held only notifications/responses. Stateless mode needs no session affinity between replicas.
/// Authentication with the caller's Requesty API key comes with upstream server proxying.
/// </summary>
public static class McpEndpoint
{
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
        HttpContext context, GatewayMcpServerOptions serverOptions, ILoggerFactory loggerFactory)
    {
        var cancellationToken = context.RequestAborted;
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
        await using var server = McpServer.Create(transport, serverOptions.Create(), loggerFactory, context.RequestServices);
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

    private static Task WriteJsonRpcErrorAsync(HttpContext context, int status, int code, string message)
    {
        var error = new JsonRpcError { Id = default, Error = new JsonRpcErrorDetail { Code = code, Message = message } };
        return Results.Json(error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>(), statusCode: status).ExecuteAsync(context);
    }
}
