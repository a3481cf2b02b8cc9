using Requesty.Contracts.Events;
using Requesty.Router.Catalog;

namespace Requesty.Router.Accounting;

/// <summary>Exact cost in USD (decimal) from token counts and list prices per million tokens.</summary>
public static class CostCalculator
{
    private const decimal Million = 1_000_000m;

    public static decimal Cost(TokenUsage usage, ModelPrice price) =>
        (usage.InputTokens * price.InputPerMillion
         + OutputCost(usage, price)
         + usage.CacheReadTokens * price.CacheReadPerMillion
         + usage.CacheWriteTokens * price.CacheWritePerMillion) / Million;

    /// <summary>What the same tokens would have cost if every cached token had been billed as plain input.</summary>
    public static decimal CostWithoutCache(TokenUsage usage, ModelPrice price) =>
        ((usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens) * price.InputPerMillion
         + OutputCost(usage, price)) / Million;

    /// <summary>
    /// Output tokens times their price (not yet divided by a million). Reasoning tokens are part of the output
    /// count; where the model has a reasoning price they are billed at it instead of the output price, once.
    /// </summary>
    private static decimal OutputCost(TokenUsage usage, ModelPrice price)
    {
        if (price.ReasoningPerMillion is not { } reasoningPrice) return usage.OutputTokens * price.OutputPerMillion;
        var reasoning = Math.Clamp(usage.ReasoningTokens, 0, usage.OutputTokens);
        return (usage.OutputTokens - reasoning) * price.OutputPerMillion + reasoning * reasoningPrice;
    }
}
