using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.OpenAI;

public static class ImagesUsage
{
    /// <summary>
    /// The Images API reports input_tokens / output_tokens (gpt-image models; dall-e reports none).
    /// Cached input tokens, when reported, are counted inside input_tokens, so they are moved apart.
    /// </summary>
    public static TokenUsage? Read(JsonNode? usage)
    {
        if (usage is not JsonObject u) return null;
        var input = Long(u["input_tokens"]);
        var cached = Long(u["input_tokens_details"]?["cached_tokens"]);
        return new TokenUsage
        {
            InputTokens = Math.Max(0, input - cached),
            CacheReadTokens = cached,
            OutputTokens = Long(u["output_tokens"]),
        };
    }

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
