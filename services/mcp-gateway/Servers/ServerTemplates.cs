using Requesty.McpGateway.Auth;

namespace Requesty.McpGateway.Servers;

/// <summary>A ready-to-register server: POST its name, url, type and headers (replace {{API_KEY}} or let users supply it).</summary>
public sealed record ServerTemplate(
    string Id, string Title, string Description, string RequiredAuth, string Name, string Url, string Type,
    IReadOnlyDictionary<string, string> Headers, bool AllowUserKeys);

/// <summary>GET /v1/mcp/templates: the popular servers of the spec with their URLs and required headers.</summary>
public static class ServerTemplates
{
    private static readonly Dictionary<string, string> BearerApiKey = new() { ["Authorization"] = "Bearer {{API_KEY}}" };

    public static readonly IReadOnlyList<ServerTemplate> All =
    [
        new("github", "GitHub", "Repository access, code search, issue management, PR operations.", "GitHub Personal Access Token",
            "github", "https://api.githubcopilot.com/mcp/", McpTransports.StreamableHttp, BearerApiKey, true),
        new("notion", "Notion", "Page creation, database queries, content search, workspace management.", "Notion Integration Token",
            "notion", "https://mcp.notion.com/mcp", McpTransports.StreamableHttp, BearerApiKey, true),
        new("linear", "Linear", "Issue creation, project tracking, team management, workflow automation.", "Linear API Key",
            "linear", "https://mcp.linear.app/sse", McpTransports.Sse, BearerApiKey, true),
        new("context7", "Context7", "AI context management, knowledge graphs, semantic search.", "Context7 API Key",
            "context7", "https://mcp.context7.com/mcp", McpTransports.StreamableHttp, BearerApiKey, false),
        new("asana", "Asana", "Task management, project creation, team collaboration, timeline tracking.", "Asana Personal Access Token",
            "asana", "https://mcp.asana.com/sse", McpTransports.Sse, BearerApiKey, true),
    ];

    public static IEndpointRouteBuilder MapServerTemplates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/mcp/templates", () => TypedResults.Ok(All))
            .WithTags("MCP servers")
            .RequireRegistryCaller()
            .WithName("ListMcpServerTemplates")
            .WithSummary("Templates for popular MCP servers (URL, protocol, required headers).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }
}
