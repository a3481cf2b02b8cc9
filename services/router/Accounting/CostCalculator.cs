using Requesty.Contracts.Events;
using Requesty.Router.Catalog;

namespace Requesty.Router.Accounting;

/// <summary>Exact cost in USD (decimal) from token counts and list prices per million tokens.</summary>
public static class CostCalculator
{
    private const decimal Million = 1_000_000m;

    public static decimal Cost(TokenUsage usage, ModelPrice price) =>
        (usage.InputTokens * price.InputPerMillion
         + usage.OutputTokens * price.OutputPerMillion
         + usage.CacheReadTokens * price.CacheReadPerMillion
         + usage.CacheWriteTokens * price.CacheWritePerMillion) / Million;

    /// <summary>What the same tokens would have cost if every cached token had been billed as plain input.</summary>
    public static decimal CostWithoutCache(TokenUsage usage, ModelPrice price) =>
        ((usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens) * price.InputPerMillion
         + usage.OutputTokens * price.OutputPerMillion) / Million;
}
