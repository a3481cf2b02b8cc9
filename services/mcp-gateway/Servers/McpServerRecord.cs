using Requesty.McpGateway.Security;

namespace Requesty.McpGateway.Servers;

/// <summary>An upstream MCP server an organization registered. Header values stay sealed until a call needs them.</summary>
public sealed record McpServerRecord(
    Guid Id,
    Guid OrganizationId,
    string Name,
    string Url,
    string Transport,
    bool Enabled,
    bool AllowUserKeys,
    IReadOnlyList<string> HeaderNames,
    SealedHeaders? Headers,
    IReadOnlyList<string> EnabledTools,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<string> TemplateHeaders,
    IReadOnlyList<string> TemplateVariables);

/// <summary>The fields an admin sets on create or update; null headers on update keep the stored ones.</summary>
public sealed record McpServerChanges(
    string Name,
    string Url,
    string Transport,
    bool Enabled,
    bool AllowUserKeys,
    IReadOnlyDictionary<string, string>? Headers);

public static class McpTransports
{
    public const string StreamableHttp = "streamable-http";
    public const string Sse = "sse";
}
