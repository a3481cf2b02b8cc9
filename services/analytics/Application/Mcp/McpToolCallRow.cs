namespace Requesty.Analytics.Application.Mcp;

/// <summary>One row of the <c>mcp_tool_calls</c> table (one tools/call the MCP gateway executed).</summary>
public sealed class McpToolCallRow
{
    public Guid CallId { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid ApiKeyId { get; set; }
    public Guid UserId { get; set; }
    public Guid ServerId { get; set; }
    public string ServerName { get; set; } = "";
    public string ToolName { get; set; } = "";
    /// <summary>"yyyy-MM-dd HH:mm:ss" UTC.</summary>
    public string StartedAt { get; set; } = "";
    public uint LatencyMs { get; set; }
    public byte Success { get; set; }
    public string ErrorKind { get; set; } = "";
    public uint ArgumentsBytes { get; set; }
    public uint ResultBytes { get; set; }
    public Guid LinkedRequestId { get; set; }
    public ushort SchemaVersion { get; set; }
    public ulong Version { get; set; }
}
