using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Usage;

/// <summary>
/// The General, Savings and API-key usage views: a fixed set of aggregates per slice. Grouped by nothing, model, user
/// or api_key and filtered on those only, closed hours come from requests_hourly and the rest (partial hours at the
/// edges, the open hour, hours with rows newer than the last roll) from requests; both halves are merged in one query
/// (sums add up, latency percentiles merge quantilesExact states), so the numbers are the same as from raw rows.
/// </summary>
public sealed class UsageQueries(ClickHouseClient clickHouse, RollupReader rollup, DailyLatency dailyLatency)
{
    private const string Savings = "if(cost_without_cache_usd > cost_usd, cost_without_cache_usd - cost_usd, toDecimal64(0, 9))";

    /// <summary>Everything but the percentiles (exact percentiles are by far the most expensive part; see <see cref="Percentiles"/>).</summary>
    private const string Sums = $"""
        count() AS requests,
        toString(sum(cost_usd)) AS cost,
        toString(sum({Savings})) AS savings,
        sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens,
        sum(cache_read_tokens) AS cached_tokens,
        sum(cache_write_tokens) AS cache_write_tokens,
        countIf(cache_read_tokens > 0) AS cache_hits,
        toString(avg(latency_ms)) AS latency_avg,
        sum(latency_ms) AS latency_sum
        """;

    /// <summary>Percentiles are quantileExact (reproducible; see MetricCatalog).</summary>
    private const string Percentiles = """
        quantileExact(0.5)(latency_ms) AS latency_p50,
        quantileExact(0.9)(latency_ms) AS latency_p90
        """;

    private static readonly AnalyticsField Model = AnalyticsFields.Resolve("model", out _)!;

    public async Task<UsageReport> GetUsageAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, bool withModels, CancellationToken cancellationToken)
    {
        if (groupBy is null && withModels && grouping != TimeGrouping.None)
            return await GetUngroupedUsageAsync(scope, grouping, cancellationToken);

        // The aggregates are independent: run them together (most are small; ClickHouse overlaps them on its cores).
        var group = groupBy ?? Model;
        var totalsTask = AggregateAsync(scope, null, TimeGrouping.None, true, cancellationToken);
        var groupTotalsTask = groupBy is null ? Task.FromResult(new List<UsageRow>()) : AggregateAsync(scope, groupBy, TimeGrouping.None, true, cancellationToken);
        var pointsTask = grouping == TimeGrouping.None ? Task.FromResult(new List<UsageRow>()) : AggregateAsync(scope, groupBy, grouping, true, cancellationToken);
        // The per-model table shows no percentiles.
        var modelsTask = withModels && !(group == Model && groupBy is not null) ? AggregateAsync(scope, Model, TimeGrouping.None, false, cancellationToken) : groupTotalsTask;
        await Task.WhenAll(totalsTask, groupTotalsTask, pointsTask, modelsTask);
        var totals = totalsTask.Result.SingleOrDefault() ?? new UsageRow();
        var groupTotals = groupTotalsTask.Result;
        var points = pointsTask.Result;

        var pointsByGroup = points.ToLookup(p => p.G);
        var series = groupBy is null
            ? [new UsageSeries("all", UsageStats.From(totals), ToPoints(pointsByGroup[""]))]
            : groupTotals
                .OrderByDescending(g => RequestScope.ParseNumber(g.Cost) ?? 0m).ThenByDescending(g => g.Requests).ThenBy(g => g.G, StringComparer.Ordinal)
                .Select(g => new UsageSeries(g.G, UsageStats.From(g), ToPoints(pointsByGroup[g.G])))
                .ToList();

        var models = withModels ? ModelTable(modelsTask.Result, UsageStats.From(totals)) : null;
        return new UsageReport(UsageStats.From(totals), series, models);
    }

    public async Task<SavingsReport> GetSavingsAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        // Savings show no latency: no percentiles.
        var totalsTask = AggregateAsync(scope, null, TimeGrouping.None, false, cancellationToken);
        var modelsTask = AggregateAsync(scope, Model, TimeGrouping.None, false, cancellationToken);
        await Task.WhenAll(totalsTask, modelsTask);
        var totals = totalsTask.Result.SingleOrDefault() ?? new UsageRow();
        var models = modelsTask.Result;
        return new SavingsReport(
            SavingsStats.From(totals, null),
            [.. models.Select(m => SavingsStats.From(m, m.G))
                .OrderByDescending(m => m.SavedUsd).ThenByDescending(m => m.CacheHitRate).ThenBy(m => m.Model, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The default view (no group_by, with the per-model table): one sums query per (model, bucket) answers the series
    /// points, the totals and the model table, since sums add up exactly; only the percentiles need their own queries.
    /// Three aggregates over the same rows were most of the view's cost.
    /// </summary>
    private async Task<UsageReport> GetUngroupedUsageAsync(RequestScope scope, TimeGrouping grouping, CancellationToken cancellationToken)
    {
        // Late rows for already rolled hours are rare: compute as if there were none while the check runs, and again if wrong.
        var actualSplit = rollup.AssumeNoDirtyHours(scope, cancellationToken);
        var report = await ComputeUngroupedUsageAsync(scope, grouping, cancellationToken);
        if (actualSplit is null || await actualSplit is not { Dirty.Count: > 0 }) return report;
        rollup.Settle(scope, actualSplit);
        dailyLatency.Forget(scope);
        return await ComputeUngroupedUsageAsync(scope, grouping, cancellationToken);
    }

    private async Task<UsageReport> ComputeUngroupedUsageAsync(RequestScope scope, TimeGrouping grouping, CancellationToken cancellationToken)
    {
        var sumsTask = AggregateAsync(scope, Model, grouping, false, cancellationToken);
        var totalPercentilesTask = PercentilesAsync(scope, TimeGrouping.None, cancellationToken);
        var pointPercentilesTask = PercentilesAsync(scope, grouping, cancellationToken);
        await Task.WhenAll(sumsTask, totalPercentilesTask, pointPercentilesTask);
        var rows = sumsTask.Result;

        var totals = UsageRows.Sum(rows, "", "");
        totals = totalPercentilesTask.Result.TryGetValue("", out var all) ? totals with { LatencyP50 = all.P50, LatencyP90 = all.P90 } : totals;
        var points = rows.GroupBy(r => r.T, StringComparer.Ordinal)
            .Select(bucket => UsageRows.Sum(bucket, "", bucket.Key))
            .Select(p => pointPercentilesTask.Result.TryGetValue(p.T, out var q) ? p with { LatencyP50 = q.P50, LatencyP90 = q.P90 } : p);
        var models = rows.GroupBy(r => r.G, StringComparer.Ordinal).Select(model => UsageRows.Sum(model, model.Key, "")).ToList();

        var totalStats = UsageStats.From(totals);
        return new UsageReport(
            totalStats,
            [new UsageSeries("all", totalStats, ToPoints(points))],
            ModelTable(models, totalStats));
    }

    /// <summary>Latency p50/p90 per bucket ("" without a grouping): from the daily tables when they hold the range, else as before.</summary>
    private async Task<Dictionary<string, (uint P50, uint P90)>> PercentilesAsync(RequestScope scope, TimeGrouping grouping, CancellationToken cancellationToken)
    {
        // Valid days exist only when the rollup splits the scope; the lookup runs alongside the dirty-hour check.
        if (DailyLatency.Applies(scope, null, grouping)
            && await dailyLatency.ValidDaysAsync(scope, rollup, cancellationToken) is { Count: > 0 } days)
        {
            var latencies = await dailyLatency.PercentilesAsync(scope, grouping, days, cancellationToken);
            return latencies.ToDictionary(l => l.T, l => (l.LatencyP50, l.LatencyP90), StringComparer.Ordinal);
        }
        var rows = await AggregateAsync(scope, null, grouping, true, cancellationToken);
        return rows.ToDictionary(r => r.T, r => (r.LatencyP50, r.LatencyP90), StringComparer.Ordinal);
    }

    private static List<ModelUsage> ModelTable(IEnumerable<UsageRow> rows, UsageStats all) =>
        [.. rows.Select(r => (r.G, Stats: UsageStats.From(r)))
            .OrderByDescending(m => m.Stats.CostUsd).ThenByDescending(m => m.Stats.Requests).ThenBy(m => m.G, StringComparer.Ordinal)
            .Select(m => new ModelUsage(
                m.G, m.Stats.Requests, UsageStats.Percent(m.Stats.Requests, all.Requests),
                m.Stats.TotalTokens, UsageStats.Percent(m.Stats.TotalTokens, all.TotalTokens), m.Stats.CostUsd, m.Stats.LatencyAvgMs))];

    private static List<UsagePoint> ToPoints(IEnumerable<UsageRow> rows) =>
        [.. rows.Select(r => new UsagePoint(RequestScope.ParseBucket(r.T), UsageStats.From(r))).OrderBy(p => p.T)];

    private async Task<List<UsageRow>> AggregateAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, bool percentiles, CancellationToken cancellationToken)
    {
        if (groupBy is not null && RollupReader.ColumnFor(groupBy) is null)
            return await AggregateRawAsync(scope, groupBy, grouping, percentiles, cancellationToken);
        var daysTask = percentiles && DailyLatency.Applies(scope, groupBy, grouping) ? dailyLatency.ValidDaysAsync(scope, rollup, cancellationToken) : null;
        if (await rollup.SplitAsync(scope, cancellationToken) is { } split)
        {
            if (daysTask is not null && await daysTask is { Count: > 0 } days)
            {
                // Sums from the hourly rollup, percentiles from the daily latency tables: two cheaper queries than one with states.
                var sumsTask = AggregateWithRollupAsync(scope, groupBy, grouping, split, false, cancellationToken);
                var latenciesTask = dailyLatency.PercentilesAsync(scope, grouping, days, cancellationToken);
                await Task.WhenAll(sumsTask, latenciesTask);
                var latencies = latenciesTask.Result.ToDictionary(l => l.T, StringComparer.Ordinal);
                return [.. sumsTask.Result.Select(r => latencies.TryGetValue(r.T, out var l) ? r with { LatencyP50 = l.LatencyP50, LatencyP90 = l.LatencyP90 } : r)];
            }
            return await AggregateWithRollupAsync(scope, groupBy, grouping, split, percentiles, cancellationToken);
        }
        return await AggregateRawAsync(scope, groupBy, grouping, percentiles, cancellationToken);
    }

    private Task<List<UsageRow>> AggregateWithRollupAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, RollupSplit split, bool percentiles, CancellationToken cancellationToken)
    {
        var rollupGroup = groupBy is null ? "''" : RollupReader.ColumnFor(groupBy)!;
        var (outerQuantiles, rollupQuantiles, rawQuantiles) = percentiles
            ? (",\n       quantilesExactMerge(0.5, 0.9)(r_latency) AS q, q[1] AS latency_p50, q[2] AS latency_p90",
               ", latency_quantiles AS r_latency", ", quantilesExactState(0.5, 0.9)(latency_ms) AS r_latency")
            : ("", "", "");
        // Always grouped by (g, t): without a grouping both are '' (one row; none for an empty range, like an empty slice).
        return clickHouse.QueryAsync(
            $"""
            SELECT g, t, sum(r_requests) AS requests, toString(sum(r_cost)) AS cost, toString(sum(r_savings)) AS savings,
                   sum(r_input) AS input_tokens, sum(r_output) AS output_tokens, sum(r_cached) AS cached_tokens,
                   sum(r_cache_write) AS cache_write_tokens, sum(r_cache_hits) AS cache_hits,
                   toString(sum(r_latency_sum) / sum(r_requests)) AS latency_avg, sum(r_latency_sum) AS latency_sum{outerQuantiles}
            FROM (
                SELECT {rollupGroup} AS g, {grouping.BucketExpression().Replace("started_at", "hour", StringComparison.Ordinal)} AS t,
                       requests AS r_requests, cost AS r_cost, savings AS r_savings, input_tokens AS r_input, output_tokens AS r_output,
                       cached_tokens AS r_cached, cache_write_tokens AS r_cache_write, cache_hits AS r_cache_hits,
                       latency_sum AS r_latency_sum{rollupQuantiles}
                FROM requests_hourly
                {split.RollupWhere(scope)}
                UNION ALL
                SELECT {groupBy?.GroupExpression ?? "''"} AS g, {grouping.BucketExpression()} AS t,
                       count() AS r_requests, sum(cost_usd) AS r_cost, sum({HourlyRollup.Savings}) AS r_savings,
                       sum(input_tokens) AS r_input, sum(output_tokens) AS r_output, sum(cache_read_tokens) AS r_cached,
                       sum(cache_write_tokens) AS r_cache_write, countIf(cache_read_tokens > 0) AS r_cache_hits,
                       sum(latency_ms) AS r_latency_sum{rawQuantiles}
                FROM requests FINAL
                {split.RawWhere(scope)}
                GROUP BY g, t
            )
            GROUP BY g, t
            """,
            UsageRowsJson.Default.UsageRow, cancellationToken);
    }

    private Task<List<UsageRow>> AggregateRawAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, bool percentiles, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (groupBy is not null) keys.Add("g");
        if (grouping != TimeGrouping.None) keys.Add("t");
        var select = new List<string> { $"{groupBy?.GroupExpression ?? "''"} AS g", $"{grouping.BucketExpression()} AS t", Sums };
        if (percentiles) select.Add(Percentiles);
        // Without GROUP BY an empty range still yields one row of zeros (avg is nan -> null).
        var groupClause = keys.Count == 0 ? "" : "\nGROUP BY " + string.Join(", ", keys);
        return clickHouse.QueryAsync(
            $"SELECT {string.Join(",\n", select)}\nFROM requests FINAL\n{scope.WhereClause()}{groupClause}",
            UsageRowsJson.Default.UsageRow, cancellationToken);
    }
}
