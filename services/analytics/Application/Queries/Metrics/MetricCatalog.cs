namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>The metrics and calculations of POST /v1/analytics/query, mapped to fixed SQL (never caller text).</summary>
public static class MetricCatalog
{
    private static readonly Dictionary<string, string> Metrics = new(StringComparer.Ordinal)
    {
        ["cost"] = "cost_usd",
        ["requests"] = "",
        ["input_tokens"] = "input_tokens",
        ["output_tokens"] = "output_tokens",
        ["cached_tokens"] = "cache_read_tokens",
        ["total_tokens"] = "(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)",
        ["latency_ms"] = "latency_ms",
        ["ttft_ms"] = "ttft_ms",
        // What caching saved; events without a no-cache price count as no savings rather than negative.
        ["cost_savings"] = "if(cost_without_cache_usd > cost_usd, cost_without_cache_usd - cost_usd, toDecimal64(0, 9))",
    };

    // quantileExact: exact (the element at floor(level * n) of the sorted values), so results are reproducible
    // and testable; fine for an org's range, memory is O(rows in a group).
    private static readonly Dictionary<string, Func<string, string>> Calculations = new(StringComparer.Ordinal)
    {
        ["sum"] = e => $"sum({e})",
        ["avg"] = e => $"avg({e})",
        ["median"] = e => $"quantileExact(0.5)({e})",
        ["count_distinct"] = e => $"uniqExact({e})",
        ["p95"] = e => $"quantileExact(0.95)({e})",
        ["p99"] = e => $"quantileExact(0.99)({e})",
    };

    public static IEnumerable<string> MetricNames => Metrics.Keys;

    public static IEnumerable<string> CalculationNames => Calculations.Keys;

    public static bool IsMetric(string name) => Metrics.ContainsKey(name);

    public static bool IsCalculation(string name) => Calculations.ContainsKey(name);

    /// <summary>"requests" is a count: only "sum" (the number of requests) makes sense for it.</summary>
    public static bool Supports(string metric, string calculation) => metric != "requests" || calculation == "sum";

    public static string Aggregate(string metric, string calculation) =>
        metric == "requests" ? "count()" : Calculations[calculation](Metrics[metric]);
}
