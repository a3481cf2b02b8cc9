using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.Anthropic;

public static class AnthropicUsage
{
    /// <summary>Anthropic reports input, cache reads and cache writes apart, as our usage does.</summary>
    public static TokenUsage Read(JsonNode? usage, TokenUsage? previous = null)
    {
        previous ??= new TokenUsage();
        if (usage is not JsonObject u) return previous;
        return new TokenUsage
        {
            InputTokens = Long(u["input_tokens"]) ?? previous.InputTokens,
            CacheReadTokens = Long(u["cache_read_input_tokens"]) ?? previous.CacheReadTokens,
            CacheWriteTokens = Long(u["cache_creation_input_tokens"]) ?? previous.CacheWriteTokens,
            OutputTokens = Long(u["output_tokens"]) ?? previous.OutputTokens,
        };
    }

    /// <summary>The same numbers in OpenAI's shape (cached tokens counted inside prompt_tokens).</summary>
    public static JsonObject ToOpenAI(TokenUsage usage)
    {
        var prompt = usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens;
        return new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = usage.OutputTokens,
            ["total_tokens"] = prompt + usage.OutputTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens },
            ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
        };
    }

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
