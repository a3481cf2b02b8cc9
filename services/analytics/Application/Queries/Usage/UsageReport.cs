namespace Requesty.Analytics.Application.Queries.Usage;

public sealed record UsageReport(
    UsageStats Totals, IReadOnlyList<UsageSeries> Series, IReadOnlyList<ModelUsage>? Models);

/// <summary>One group over the range (totals) and per time bucket (points; only buckets with requests).</summary>
public sealed record UsageSeries(string Group, UsageStats Totals, IReadOnlyList<UsagePoint> Points);

public sealed record UsagePoint(DateTime T, UsageStats Stats);

/// <summary>A row of the per-model breakdown table (shares of requests and tokens in percent).</summary>
public sealed record ModelUsage(
    string Model, ulong Requests, decimal RequestsPercent, ulong Tokens, decimal TokensPercent, decimal CostUsd, decimal? LatencyAvgMs);

/// <summary>Cache effectiveness of a slice of requests (rates in percent).</summary>
public sealed record SavingsStats(
    string? Model,
    ulong Requests,
    ulong CacheHits,
    decimal CacheHitRate,
    ulong InputTokens,
    ulong CachedTokens,
    decimal TokenCacheRate,
    decimal CostUsd,
    decimal CostWithoutCacheUsd,
    decimal SavedUsd,
    decimal SavedPercent)
{
    public static SavingsStats From(UsageRow row, string? model)
    {
        var stats = UsageStats.From(row);
        var promptTokens = row.InputTokens + row.CachedTokens + row.CacheWriteTokens;
        return new SavingsStats(
            model, row.Requests, row.CacheHits, UsageStats.Percent(row.CacheHits, row.Requests),
            row.InputTokens, row.CachedTokens, UsageStats.Percent(row.CachedTokens, promptTokens),
            stats.CostUsd, stats.CostUsd + stats.CostSavingsUsd, stats.CostSavingsUsd, stats.CostSavingsPercent);
    }
}

public sealed record SavingsReport(SavingsStats Totals, IReadOnlyList<SavingsStats> Models);
