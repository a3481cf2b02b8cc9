namespace Requesty.Contracts.Events;

/// <summary>
/// Published by the router once per request it finished (successfully or not), after the
/// response has been sent. Delivery is at-least-once: every consumer must be idempotent on
/// <see cref="RequestId"/>. Additive changes only; a breaking change bumps
/// <see cref="SchemaVersion"/> and ships as a new message type.
/// </summary>
public sealed record RequestCompleted
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of this contract the producer wrote (see <see cref="CurrentSchemaVersion"/>).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique id of the request (also returned to the client); the idempotency key.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>When the router received the request (UTC).</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When the first byte/token of the answer arrived from upstream (UTC); null if none did.</summary>
    public DateTime? FirstTokenAt { get; init; }

    /// <summary>When the router finished sending the answer (UTC).</summary>
    public required DateTime CompletedAt { get; init; }

    /// <summary>Who made the request.</summary>
    public required RequestCaller Caller { get; init; }

    /// <summary>API surface used: chat.completions, messages, responses, embeddings, images.generations.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model string the client asked for, e.g. "openai/gpt-4o" or "policy/sonnet".</summary>
    public required string RequestedModel { get; init; }

    /// <summary>Catalogue model id that finally served the request ("openai/gpt-4o"); null when none did.</summary>
    public string? ServedModel { get; init; }

    /// <summary>Provider that finally served the request ("openai"); null when none did.</summary>
    public string? ServedProvider { get; init; }

    /// <summary>Routing policy name when <see cref="RequestedModel"/> was "policy/...".</summary>
    public string? PolicyName { get; init; }

    /// <summary>Every upstream attempt in order, including failed ones (failed attempts cost nothing).</summary>
    public IReadOnlyList<UpstreamAttempt> Attempts { get; init; } = [];

    /// <summary>Whether the client asked for a streamed answer.</summary>
    public bool Stream { get; init; }

    /// <summary>HTTP status returned to the client.</summary>
    public required int HttpStatus { get; init; }

    /// <summary>"success" or "error".</summary>
    public required string Status { get; init; }

    /// <summary>Error kind when <see cref="Status"/> is "error" (rate_limit, upstream_error, timeout, invalid_request, auth, policy, guardrail, budget...).</summary>
    public string? ErrorKind { get; init; }

    /// <summary>Human-readable error message (never contains secrets).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Token counts as reported by the serving provider.</summary>
    public TokenUsage Usage { get; init; } = new();

    /// <summary>Charged cost in USD (platform cost: 0 when the serving attempt used the organisation's own key, BYOK).</summary>
    public decimal CostUsd { get; init; }

    /// <summary>
    /// What the provider charges for the served usage in USD, whoever pays it: equal to <see cref="CostUsd"/> on the
    /// platform key, the organisation's own bill on a BYOK key (added in schema 1; absent in older events = 0).
    /// </summary>
    public decimal ProviderCostUsd { get; init; }

    /// <summary>What the request would have cost without prompt caching, in USD (savings = this - <see cref="CostUsd"/>).</summary>
    public decimal CostWithoutCacheUsd { get; init; }

    /// <summary>Time to first token in milliseconds (streams: first content event; otherwise the full upstream time).</summary>
    public int? TimeToFirstTokenMs { get; init; }

    /// <summary>Total latency in milliseconds as seen by the router.</summary>
    public required int LatencyMs { get; init; }

    /// <summary>Tools offered to the model in the request.</summary>
    public IReadOnlyList<ToolOffered> ToolsOffered { get; init; } = [];

    /// <summary>Tool calls the model made in its answer.</summary>
    public IReadOnlyList<ToolCallMade> ToolCalls { get; init; } = [];

    /// <summary>
    /// Ids of the tool results the request carried (OpenAI tool messages' tool_call_id, Anthropic
    /// tool_result.tool_use_id, Responses function_call_output.call_id), in request order. Matched
    /// against an earlier request's <see cref="ToolCalls"/> they give the client-side tool time.
    /// </summary>
    public IReadOnlyList<string> ToolResultIds { get; init; } = [];

    /// <summary>The request's "requesty" metadata (tags, user_id, trace_id, extra).</summary>
    public RequestMetadata Metadata { get; init; } = new();

    /// <summary>Region that served the request ("us", "eu"...); null when unknown.</summary>
    public string? Region { get; init; }

    /// <summary>Guardrails that matched (PII, prompt injection...).</summary>
    public IReadOnlyList<GuardrailHit> GuardrailHits { get; init; } = [];

    /// <summary>Hashes used to stitch requests of one conversation together.</summary>
    public SessionHashes Session { get; init; } = new();
}

/// <summary>Identity of the caller, resolved from the API key.</summary>
public sealed record RequestCaller
{
    public required Guid OrganizationId { get; init; }
    public required Guid ApiKeyId { get; init; }
    /// <summary>User that owns the key; null for service-account keys.</summary>
    public Guid? UserId { get; init; }
    public Guid? ServiceAccountId { get; init; }
    public IReadOnlyList<Guid> GroupIds { get; init; } = [];
    public Guid? ProjectId { get; init; }
}

/// <summary>One try against one provider.</summary>
public sealed record UpstreamAttempt
{
    public required string Model { get; init; }
    public required string Provider { get; init; }
    /// <summary>"platform" or "byok".</summary>
    public string KeySource { get; init; } = "platform";
    /// <summary>Upstream HTTP status; 0 when no response arrived (timeout, connection failure).</summary>
    public int HttpStatus { get; init; }
    public string? ErrorKind { get; init; }
    public int LatencyMs { get; init; }
}

/// <summary>Token counts. Input excludes cache reads and writes, so the parts add up.</summary>
public sealed record TokenUsage
{
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    /// <summary>Reasoning tokens; already included in <see cref="OutputTokens"/>.</summary>
    public long ReasoningTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;
}

public sealed record ToolOffered
{
    public required string Name { get; init; }
}

public sealed record ToolCallMade
{
    /// <summary>Id the model gave the call (e.g. "call_abc").</summary>
    public string? Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Size of the JSON arguments in UTF-8 bytes.</summary>
    public int ArgumentsBytes { get; init; }
}

/// <summary>The request's "requesty" extension object.</summary>
public sealed record RequestMetadata
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>End-user id the application supplied (not the key's owner).</summary>
    public string? UserId { get; init; }
    public string? TraceId { get; init; }
    /// <summary>Free-form string key/values ("extra"); non-string values are carried as their JSON text.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

public sealed record GuardrailHit
{
    public required string Guardrail { get; init; }
    /// <summary>"mask", "block" or "flag".</summary>
    public required string Action { get; init; }
    public int Count { get; init; } = 1;
}

/// <summary>
/// SHA-256 hex of the conversation so far. <see cref="PrefixHash"/> covers every message the
/// client sent except the last; <see cref="ConversationHash"/> covers all of them plus the
/// answer. A request continues a session when its prefix hash equals an earlier request's
/// conversation hash.
/// </summary>
public sealed record SessionHashes
{
    public string? PrefixHash { get; init; }
    public string? ConversationHash { get; init; }
    /// <summary>Hash of the first user message; groups requests that started the same way.</summary>
    public string? FirstMessageHash { get; init; }
}
