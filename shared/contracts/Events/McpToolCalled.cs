namespace Requesty.Contracts.Events;

/// <summary>
/// The MCP gateway executed one tools/call for a caller (published after the call ended, failed
/// or not). Delivery is at-least-once: consumers are idempotent on <see cref="CallId"/>.
/// </summary>
public sealed record McpToolCalled
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique id of this execution (the idempotency key).</summary>
    public required Guid CallId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required Guid ApiKeyId { get; init; }
    public Guid? UserId { get; init; }
    public required Guid ServerId { get; init; }
    /// <summary>The server's name in the registry (the namespace prefix of its tools).</summary>
    public required string ServerName { get; init; }
    /// <summary>The upstream tool name (without the namespace prefix).</summary>
    public required string ToolName { get; init; }
    /// <summary>JSON-RPC id of the tools/call as the client sent it, when it was a string or number.</summary>
    public string? ClientCallId { get; init; }
    public required DateTime StartedAt { get; init; }
    public required int LatencyMs { get; init; }
    public required bool Success { get; init; }
    /// <summary>Short machine-readable error kind ("upstream_error", "timeout", "tool_error", "disabled"...).</summary>
    public string? ErrorKind { get; init; }
    public string? ErrorMessage { get; init; }
    public int ArgumentsBytes { get; init; }
    public int ResultBytes { get; init; }
    /// <summary>The model tool call this execution answers, when the gateway could link it (see RequestCompleted.ToolCalls).</summary>
    public Guid? LinkedRequestId { get; init; }
}
