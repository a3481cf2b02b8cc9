using System.Text.Json.Serialization;

namespace Requesty.Analytics.Application.Queries.Sessions;

/// <summary>The columns session reconstruction reads per request.</summary>
public sealed record SessionRequestRow
{
    [JsonPropertyName("request_id")] public Guid RequestId { get; init; }
    [JsonPropertyName("started")] public string StartedAt { get; init; } = "";
    [JsonPropertyName("prefix_hash")] public string PrefixHash { get; init; } = "";
    [JsonPropertyName("conversation_hash")] public string ConversationHash { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("cost")] public string Cost { get; init; } = "0";
    [JsonPropertyName("input_tokens")] public ulong InputTokens { get; init; }
    [JsonPropertyName("output_tokens")] public ulong OutputTokens { get; init; }
    [JsonPropertyName("latency_ms")] public uint LatencyMs { get; init; }
}

[JsonSerializable(typeof(SessionRequestRow))]
internal sealed partial class SessionRowsJson : JsonSerializerContext;

/// <summary>One request of a session thread; <see cref="ParentRequestId"/> is the request whose conversation it continues.</summary>
public sealed record SessionRequest(
    Guid RequestId, Guid? ParentRequestId, DateTime StartedAt, string Model, string Status,
    decimal CostUsd, ulong InputTokens, ulong OutputTokens, uint LatencyMs);

/// <summary>A reconstructed session; its id is the id of its first request.</summary>
public sealed record SessionSummary(
    Guid SessionId, DateTime StartedAt, DateTime LastRequestAt, int Requests, decimal CostUsd,
    ulong InputTokens, ulong OutputTokens, IReadOnlyList<string> Models);

public sealed record SessionThread(SessionSummary Summary, IReadOnlyList<SessionRequest> Requests);
