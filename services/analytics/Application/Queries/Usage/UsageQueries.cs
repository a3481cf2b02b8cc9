using Microsoft.Extensions.Options;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Usage;

/// <summary>
/// The General, Savings and API-key usage views: a fixed set of aggregates per slice. Without filters and grouped
/// by nothing, model, user or api_key, closed hours come from requests_hourly and the rest (partial hours at the
/// edges, the open hour, hours with rows newer than the last roll) from requests; both halves are merged in one query
/// (sums add up, latency percentiles merge quantilesExact states), so the numbers are the same as from raw rows.
/// </summary>
public sealed class UsageQueries(ClickHouseClient clickHouse, HourlyRollup rollup, IOptions<RollupOptions> rollupOptions)
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

    private async Task<List<UsageRow>> AggregateAsync(
        RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping, CancellationToken cancellationToken)
    {
        if (rollupOptions.Value.UseForQueries && scope.Filters.Count == 0 && scope.Conditions.Count == 0
            && RollupGroupExpression(groupBy) is { } rollupGroup
            && await rollup.LatestAsync(cancellationToken) is { } state
            && await SplitAsync(scope, state, cancellationToken) is { } split)
            return await AggregateWithRollupAsync(scope, groupBy, rollupGroup, grouping, split, cancellationToken);
        return await AggregateRawAsync(scope, groupBy, grouping, cancellationToken);
    }

    /// <summary>The rollup's column for the group, or null when the rollup cannot answer that grouping.</summary>
    private static string? RollupGroupExpression(AnalyticsField? groupBy) => groupBy?.Name switch
    {
        null => "''",
        "model" => "model",
        "user" or "api_key" => groupBy.Expression,
        _ => null,
    };

    /// <summary>Whole hours of the range before the rollup's end, minus hours with rows newer than its watermark.</summary>
    private async Task<RollupSplit?> SplitAsync(RequestScope scope, RollupState state, CancellationToken cancellationToken)
    {
        var start = CeilingHour(scope.From);
        var end = FloorHour(scope.To) < state.RolledUntil ? FloorHour(scope.To) : state.RolledUntil;
        if (end <= start) return null;
        var dirty = await clickHouse.QueryAsync(
            $"""
            SELECT DISTINCT toString(toStartOfHour(started_at)) AS hour FROM requests
            WHERE organization_id = {SqlLiteral.Uuid(scope.OrganizationId)} AND started_at >= {SqlLiteral.DateTime(start)}
              AND started_at < {SqlLiteral.DateTime(end)} AND version > {state.Watermark}
            """,
            RollupJson.Default.HourRow, cancellationToken);
        return new RollupSplit(start, end, [.. dirty.Select(d => HourlyRollup.Parse(d.Hour))]);
    }

    private Task<List<UsageRow>> AggregateWithRollupAsync(
        RequestScope scope, AnalyticsField? groupBy, string rollupGroup, TimeGrouping grouping, RollupSplit split, CancellationToken cancellationToken)
    {
        var rolledHours = $"{{0}} >= {SqlLiteral.DateTime(split.Start)} AND {{0}} < {SqlLiteral.DateTime(split.End)}" +
            (split.Dirty.Count == 0 ? "" : $" AND toStartOfHour({{0}}) NOT IN ({string.Join(", ", split.Dirty.Select(SqlLiteral.DateTime))})");
        var rollupWhere = $"organization_id = {SqlLiteral.Uuid(scope.OrganizationId)} AND {string.Format(rolledHours, "hour")}{scope.Access.AndCondition}";
        // The raw remainder as positive time ranges (edges and dirty hours), so the primary key prunes the rolled hours.
        var remainder = new List<string> { $"started_at < {SqlLiteral.DateTime(split.Start)}", $"started_at >= {SqlLiteral.DateTime(split.End)}" };
        remainder.AddRange(split.Dirty.Select(h => $"(started_at >= {SqlLiteral.DateTime(h)} AND started_at < {SqlLiteral.DateTime(h.AddHours(1))})"));
        var rawWhere = $"{scope.WhereClause()}\n  AND ({string.Join(" OR ", remainder)})";
        // Always grouped by (g, t): without a grouping both are '' (one row; none for an empty range, like an empty slice).
        return clickHouse.QueryAsync(
            $"""
            SELECT g, t, sum(r_requests) AS requests, toString(sum(r_cost)) AS cost, toString(sum(r_savings)) AS savings,
                   sum(r_input) AS input_tokens, sum(r_output) AS output_tokens, sum(r_cached) AS cached_tokens,
                   sum(r_cache_write) AS cache_write_tokens, sum(r_cache_hits) AS cache_hits,
                   toString(sum(r_latency_sum) / sum(r_requests)) AS latency_avg,
                   quantilesExactMerge(0.5, 0.9)(r_latency) AS q, q[1] AS latency_p50, q[2] AS latency_p90
            FROM (
                SELECT {rollupGroup} AS g, {grouping.BucketExpression().Replace("started_at", "hour", StringComparison.Ordinal)} AS t,
                       requests AS r_requests, cost AS r_cost, savings AS r_savings, input_tokens AS r_input, output_tokens AS r_output,
                       cached_tokens AS r_cached, cache_write_tokens AS r_cache_write, cache_hits AS r_cache_hits,
                       latency_sum AS r_latency_sum, latency_quantiles AS r_latency
                FROM requests_hourly FINAL
                WHERE {rollupWhere}
                UNION ALL
                SELECT {groupBy?.GroupExpression ?? "''"} AS g, {grouping.BucketExpression()} AS t,
                       count() AS r_requests, sum(cost_usd) AS r_cost, sum({HourlyRollup.Savings}) AS r_savings,
                       sum(input_tokens) AS r_input, sum(output_tokens) AS r_output, sum(cache_read_tokens) AS r_cached,
                       sum(cache_write_tokens) AS r_cache_write, countIf(cache_read_tokens > 0) AS r_cache_hits,
                       sum(latency_ms) AS r_latency_sum, quantilesExactState(0.5, 0.9)(latency_ms) AS r_latency
                FROM requests FINAL
                {rawWhere}
                GROUP BY g, t
            )
            GROUP BY g, t
            """,
            UsageRowsJson.Default.UsageRow, cancellationToken);
    }

    private static DateTime FloorHour(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);

    private static DateTime CeilingHour(DateTime t) => t.Ticks % TimeSpan.TicksPerHour == 0 ? t : FloorHour(t).AddHours(1);

    private sealed record RollupSplit(DateTime Start, DateTime End, IReadOnlyList<DateTime> Dirty);

    private Task<List<UsageRow>> AggregateRawAsync(
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
