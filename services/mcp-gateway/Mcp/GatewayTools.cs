using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Requesty.McpGateway.Mcp;

/// <summary>
/// The tools the gateway serves. For now only built-in ones; tools of registered upstream MCP
/// servers (whitelisted per organization) will be merged in here and proxied by name.
/// </summary>
public sealed class GatewayTools
{
    public const string PingToolName = "requesty_ping";

    private static readonly Tool PingTool = new()
    {
        Name = PingToolName,
        Title = "Ping the Requesty MCP gateway",
        Description = "Checks connectivity to the Requesty MCP gateway. Returns \"pong\", followed by the optional message.",
        InputSchema = JsonDocument.Parse("""
            {"type":"object","properties":{"message":{"type":"string","description":"Text to echo back."}}}
            """).RootElement.Clone(),
    };

    public ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListToolsResult { Tools = [PingTool] });

    public ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var call = request.Params ?? throw new McpProtocolException("Missing tool call parameters.", McpErrorCode.InvalidParams);
        if (call.Name != PingToolName)
            throw new McpProtocolException($"Unknown tool '{call.Name}'.", McpErrorCode.InvalidParams);

        var text = call.Arguments is { } args && args.TryGetValue("message", out var message) && message.ValueKind == JsonValueKind.String
            ? $"pong: {message.GetString()}"
            : "pong";
        return ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = text }] });
    }
}
