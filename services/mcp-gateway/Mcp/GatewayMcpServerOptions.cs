using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Requesty.Contracts.Keys;

namespace Requesty.McpGateway.Mcp;

/// <summary>Server identity and handlers for one authenticated caller; built per request because the SDK may mutate options.</summary>
public sealed class GatewayMcpServerOptions(GatewayTools tools)
{
    public const string ServerName = "requesty-mcp-gateway";

    private static readonly string Version =
        typeof(GatewayMcpServerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";

    public McpServerOptions Create(ApiKeyContext caller) => new()
    {
        ServerInfo = new Implementation { Name = ServerName, Title = "Requesty MCP Gateway", Version = Version },
        Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
        ServerInstructions = "Tools of the MCP servers your organization registered in Requesty, behind one endpoint.",
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = (_, ct) => tools.ListAsync(caller, ct),
            CallToolHandler = (request, ct) => tools.CallAsync(caller, request, ct),
        },
    };
}
