using Requesty.Analytics.Application.Rollups;

namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>
/// How a metric x calculation is computed from requests_hourly plus the raw remainder: each side yields the same
/// partial aggregates (s = the metric's sum, n = the number of requests, q = quantilesExact(0.5, 0.9) state) and the
/// outer query combines them. Only combinations whose result equals the raw aggregate exactly are listed: sums, averages
/// (sum / count, which is how avg computes them) and the median of latency (the rollup keeps exact latency states).
/// </summary>
public sealed record RollupMetric(string RollupColumns, string RawColumns, string Combine)
{
    private static readonly Dictionary<string, (string Rollup, string Raw)> Sums = new(StringComparer.Ordinal)
    {
        ["requests"] = ("requests", "count()"),
        ["cost"] = ("cost", "sum(cost_usd)"),
        ["cost_savings"] = ("savings", $"sum({HourlyRollup.Savings})"),
        ["input_tokens"] = ("input_tokens", "sum(input_tokens)"),
        ["output_tokens"] = ("output_tokens", "sum(output_tokens)"),
        ["cached_tokens"] = ("cached_tokens", "sum(cache_read_tokens)"),
        ["total_tokens"] = ("input_tokens + output_tokens + cached_tokens + cache_write_tokens", "sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)"),
        ["latency_ms"] = ("latency_sum", "sum(latency_ms)"),
    };

    /// <summary>The rollup form of the combination, or null when only raw rows can answer it.</summary>
    public static RollupMetric? For(string metric, string calculation)
    {
        if (metric == "latency_ms" && calculation == "median")
            return new("latency_quantiles AS q", "quantilesExactState(0.5, 0.9)(latency_ms) AS q", "quantilesExactMerge(0.5, 0.9)(q)[1]");
        if (!Sums.TryGetValue(metric, out var sum)) return null;
        return calculation switch
        {
            "sum" => new($"{sum.Rollup} AS s", $"{sum.Raw} AS s", "sum(s)"),
            "avg" when metric != "requests" => new($"{sum.Rollup} AS s, requests AS n", $"{sum.Raw} AS s, count() AS n", "sum(s) / sum(n)"),
            _ => null,
        };
    }
}
