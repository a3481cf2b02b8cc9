using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.OpenAIResponses;

/// <summary>Usage of the Responses API: input_tokens (cache reads included), output_tokens (reasoning included).</summary>
public static class OpenAIResponsesUsage
{
    public static TokenUsage? Read(JsonNode? usage)
    {
        if (usage is not JsonObject u) return null;
        var input = Long(u["input_tokens"]);
        var cached = Math.Min(input, Long(u["input_tokens_details"]?["cached_tokens"]));
        return new TokenUsage
        {
            InputTokens = input - cached,
            CacheReadTokens = cached,
            OutputTokens = Long(u["output_tokens"]),
            ReasoningTokens = Long(u["output_tokens_details"]?["reasoning_tokens"]),
        };
    }

    /// <summary>Our usage in the Responses shape, with the Requesty extension <c>cost</c> (USD).</summary>
    public static JsonObject Write(TokenUsage usage, decimal cost) => new()
    {
        ["input_tokens"] = usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens },
        ["output_tokens"] = usage.OutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
        ["total_tokens"] = usage.TotalTokens,
        ["cost"] = cost,
    };

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
