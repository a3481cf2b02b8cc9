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

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
