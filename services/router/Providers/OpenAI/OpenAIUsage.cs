using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.OpenAI;

public static class OpenAIUsage
{
    /// <summary>
    /// OpenAI counts cached tokens inside prompt_tokens and reasoning tokens inside
    /// completion_tokens; our usage keeps cache reads apart so they are not charged twice.
    /// </summary>
    public static TokenUsage? Read(JsonNode? usage)
    {
        if (usage is not JsonObject u) return null;
        var prompt = Long(u["prompt_tokens"]);
        var cached = Long(u["prompt_tokens_details"]?["cached_tokens"]);
        return new TokenUsage
        {
            InputTokens = Math.Max(0, prompt - cached),
            CacheReadTokens = cached,
            OutputTokens = Long(u["completion_tokens"]),
            ReasoningTokens = Long(u["completion_tokens_details"]?["reasoning_tokens"]),
        };
    }

    /// <summary>The same, from a reader positioned on the usage object's StartObject; leaves it on the matching EndObject.</summary>
    public static TokenUsage Read(ref Utf8JsonReader reader)
    {
        long prompt = 0, cached = 0, completion = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8)) prompt = Long(ref reader);
            else if (reader.ValueTextEquals("completion_tokens"u8)) completion = Long(ref reader);
            else if (reader.ValueTextEquals("prompt_tokens_details"u8)) cached = Detail(ref reader, "cached_tokens"u8);
            else if (reader.ValueTextEquals("completion_tokens_details"u8)) reasoning = Detail(ref reader, "reasoning_tokens"u8);
            else reader.Skip();
        }
        return new TokenUsage
        {
            InputTokens = Math.Max(0, prompt - cached),
            CacheReadTokens = cached,
            OutputTokens = completion,
            ReasoningTokens = reasoning,
        };
    }

    private static long Long(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)) return number;
        reader.Skip();
        return 0;
    }

    private static long Detail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        long value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name)) value = Long(ref reader);
            else reader.Skip();
        }
        return value;
    }

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
