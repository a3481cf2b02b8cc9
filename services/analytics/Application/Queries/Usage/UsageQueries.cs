using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Usage;

/// <summary>The General, Savings and API-key usage views: a fixed set of aggregates per slice.</summary>
public sealed class UsageQueries(ClickHouseClient clickHouse)
{
    private const string Savings = "if(cost_without_cache_usd > cost_usd, cost_without_cache_usd - cost_usd, toDecimal64(0, 9))";

    /// <summary>Percentiles are quantileExact (reproducible; see MetricCatalog).</summary>
    public const string Columns = $"""
        count() AS requests,
        toString(sum(cost_usd)) AS cost,
        toString(sum({Savings})) AS savings,
        sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens,
        sum(cache_read_tokens) AS cached_tokens,
        sum(cache_write_tokens) AS cache_write_tokens,
        countIf(cache_read_tokens > 0) AS cache_hits,
        toString(avg(latency_ms)) AS latency_avg,
        quantileExact(0.5)(latency_ms) AS latency_p50,
        quantileExact(0.9)(latency_ms) AS latency_p90
        """;

    private static readonly AnalyticsField Model = AnalyticsFields.Resolve("model", out _)!;

    public async Task<UsageReport> GetUsageAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, bool withModels, CancellationToken cancellationToken)
    {
        var totals = (await AggregateAsync(scope, null, TimeGrouping.None, cancellationToken)).SingleOrDefault() ?? new UsageRow();
        var group = groupBy ?? Model;
        var groupTotals = groupBy is null ? [] : await AggregateAsync(scope, groupBy, TimeGrouping.None, cancellationToken);
        var points = grouping == TimeGrouping.None ? [] : await AggregateAsync(scope, groupBy, grouping, cancellationToken);

        var pointsByGroup = points.ToLookup(p => p.G);
        var series = groupBy is null
            ? [new UsageSeries("all", UsageStats.From(totals), ToPoints(pointsByGroup[""]))]
            : groupTotals
                .OrderByDescending(g => RequestScope.ParseNumber(g.Cost) ?? 0m).ThenByDescending(g => g.Requests).ThenBy(g => g.G, StringComparer.Ordinal)
                .Select(g => new UsageSeries(g.G, UsageStats.From(g), ToPoints(pointsByGroup[g.G])))
                .ToList();

        List<ModelUsage>? models = null;
        if (withModels)
        {
            var rows = group == Model && groupBy is not null ? groupTotals : await AggregateAsync(scope, Model, TimeGrouping.None, cancellationToken);
            var all = UsageStats.From(totals);
            models = [.. rows.Select(r => (r.G, Stats: UsageStats.From(r)))
                .OrderByDescending(m => m.Stats.CostUsd).ThenByDescending(m => m.Stats.Requests).ThenBy(m => m.G, StringComparer.Ordinal)
                .Select(m => new ModelUsage(
                    m.G, m.Stats.Requests, UsageStats.Percent(m.Stats.Requests, all.Requests),
                    m.Stats.TotalTokens, UsageStats.Percent(m.Stats.TotalTokens, all.TotalTokens), m.Stats.CostUsd, m.Stats.LatencyAvgMs))];
        }
        return new UsageReport(UsageStats.From(totals), series, models);
    }

    public async Task<SavingsReport> GetSavingsAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var totals = (await AggregateAsync(scope, null, TimeGrouping.None, cancellationToken)).SingleOrDefault() ?? new UsageRow();
        var models = await AggregateAsync(scope, Model, TimeGrouping.None, cancellationToken);
        return new SavingsReport(
            SavingsStats.From(totals, null),
            [.. models.Select(m => SavingsStats.From(m, m.G))
                .OrderByDescending(m => m.SavedUsd).ThenByDescending(m => m.CacheHitRate).ThenBy(m => m.Model, StringComparer.Ordinal)]);
    }

    private static List<UsagePoint> ToPoints(IEnumerable<UsageRow> rows) =>
        [.. rows.Select(r => new UsagePoint(RequestScope.ParseBucket(r.T), UsageStats.From(r))).OrderBy(p => p.T)];

    private Task<List<UsageRow>> AggregateAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (groupBy is not null) keys.Add("g");
        if (grouping != TimeGrouping.None) keys.Add("t");
        var select = new List<string> { $"{groupBy?.GroupExpression ?? "''"} AS g", $"{grouping.BucketExpression()} AS t", Columns };
        // Without GROUP BY an empty range still yields one row of zeros (avg is nan -> null).
        var groupClause = keys.Count == 0 ? "" : "\nGROUP BY " + string.Join(", ", keys);
        return clickHouse.QueryAsync(
            $"SELECT {string.Join(",\n", select)}\nFROM requests FINAL\n{scope.WhereClause()}{groupClause}",
            UsageRowsJson.Default.UsageRow, cancellationToken);
    }
}
