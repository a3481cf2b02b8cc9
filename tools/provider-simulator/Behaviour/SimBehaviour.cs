using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requesty.ProviderSimulator.Behaviour;

/// <summary>
/// How the simulator misbehaves for matching requests (the control contract, snake_case on the wire).
/// Every field is optional; null means "behave normally".
/// </summary>
public sealed record SimBehaviour
{
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public int? Status { get; init; }
    public int? Count { get; init; }
    public int? LatencyMs { get; init; }
    public int? TtftMs { get; init; }
    public int? RetryAfterS { get; init; }
    public int? ChunkDelayMs { get; init; }
    public bool? Timeout { get; init; }
    public bool? ToolCall { get; init; }
    public int? InputTokens { get; init; }
    public int? OutputTokens { get; init; }
    public int? CachedTokens { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Field-level problems, empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Status is < 100 or > 599) errors["status"] = ["status must be an HTTP status code (100-599)."];
        if (Count is <= 0) errors["count"] = ["count must be positive (omit it for 'until reset')."];
        Check(errors, "latency_ms", LatencyMs);
        Check(errors, "ttft_ms", TtftMs);
        Check(errors, "retry_after_s", RetryAfterS);
        Check(errors, "chunk_delay_ms", ChunkDelayMs);
        Check(errors, "input_tokens", InputTokens);
        Check(errors, "output_tokens", OutputTokens);
        Check(errors, "cached_tokens", CachedTokens);
        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, int? value)
    {
        if (value is < 0) errors[field] = [$"{field} must not be negative."];
    }

    public bool IsError => Status is >= 400;
}
