namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// One row of the <c>requests</c> table exactly as written to (and read from) ClickHouse with
/// JSONEachRow; property names become snake_case column names. Nulls are stored as empty
/// strings / empty UUIDs, except <see cref="TtftMs"/> which is Nullable.
/// </summary>
public sealed class RequestRow
{
    public Guid RequestId { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid ApiKeyId { get; set; }
    public Guid UserId { get; set; }
    public Guid ServiceAccountId { get; set; }
    public Guid ProjectId { get; set; }
    public List<Guid> GroupIds { get; set; } = [];
    public string Endpoint { get; set; } = "";
    public string RequestedModel { get; set; } = "";
    public string ServedModel { get; set; } = "";
    public string ServedProvider { get; set; } = "";
    public string PolicyName { get; set; } = "";
    public string KeySource { get; set; } = "";
    public string Region { get; set; } = "";
    public string Status { get; set; } = "";
    public ushort HttpStatus { get; set; }
    public string ErrorKind { get; set; } = "";
    public string ErrorMessage { get; set; } = "";
    public byte Stream { get; set; }
    public ulong InputTokens { get; set; }
    public ulong OutputTokens { get; set; }
    public ulong CacheReadTokens { get; set; }
    public ulong CacheWriteTokens { get; set; }
    public ulong ReasoningTokens { get; set; }
    public decimal CostUsd { get; set; }
    public decimal CostWithoutCacheUsd { get; set; }
    public uint LatencyMs { get; set; }
    public uint? TtftMs { get; set; }
    /// <summary>"yyyy-MM-dd HH:mm:ss" UTC.</summary>
    public string StartedAt { get; set; } = "";
    /// <summary>"yyyy-MM-dd HH:mm:ss" UTC.</summary>
    public string CompletedAt { get; set; } = "";
    /// <summary>Unix milliseconds of StartedAt / CompletedAt (migration 4; 0 in older rows).</summary>
    public ulong StartedMs { get; set; }
    public ulong CompletedMs { get; set; }
    /// <summary>Ids of the tool results the request carried (migration 4).</summary>
    public List<string> ToolResultIds { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public List<string> MetaKeys { get; set; } = [];
    public List<string> MetaValues { get; set; } = [];
    public string EndUserId { get; set; } = "";
    public string TraceId { get; set; } = "";
    public string SessionPrefixHash { get; set; } = "";
    public string SessionConversationHash { get; set; } = "";
    public string SessionFirstMessageHash { get; set; } = "";
    public ushort Attempts { get; set; }
    public List<string> AttemptModels { get; set; } = [];
    public List<string> AttemptProviders { get; set; } = [];
    public List<ushort> AttemptHttpStatuses { get; set; } = [];
    public List<string> AttemptErrorKinds { get; set; } = [];
    public List<uint> AttemptLatenciesMs { get; set; } = [];
    public List<string> ToolsOffered { get; set; } = [];
    public uint ToolCallCount { get; set; }
    public List<string> GuardrailNames { get; set; } = [];
    public List<string> GuardrailActions { get; set; } = [];
    public List<uint> GuardrailCounts { get; set; } = [];
    public ushort SchemaVersion { get; set; }
    /// <summary>ReplacingMergeTree version: ingestion time in Unix milliseconds (the latest copy wins).</summary>
    public ulong Version { get; set; }
}

/// <summary>One row of the <c>tool_calls</c> table.</summary>
public sealed class ToolCallRow
{
    public Guid RequestId { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid ApiKeyId { get; set; }
    public string StartedAt { get; set; } = "";
    public ushort CallIndex { get; set; }
    public string CallId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public uint ArgumentsBytes { get; set; }
    public string ServedModel { get; set; } = "";
    public string ServedProvider { get; set; } = "";
    public string Status { get; set; } = "";
    public uint LatencyMs { get; set; }
    public ulong Version { get; set; }
}
