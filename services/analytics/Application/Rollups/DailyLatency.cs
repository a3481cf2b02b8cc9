using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Rollups;

/// <summary>
/// Exact latency p50/p90 (quantileExact's definition: the value at index floor(level * n) of the sorted latencies) of
/// whole-organisation scopes: whole clean days come from latency_daily (a histogram: requests per distinct latency)
/// and latency_daily_quantiles (each day's own percentiles), everything else from raw rows. Merging hourly
/// quantilesExact states means reading every latency of the range again; a day's histogram is ~20x smaller.
/// </summary>
public sealed class DailyLatency(ClickHouseClient clickHouse)
{
    private readonly Dictionary<(Guid, DateTime, DateTime), Task<IReadOnlyList<DateTime>>> _validDays = [];

    /// <summary>Only the whole organisation (the histograms have no dimensions) and day-or-coarser buckets.</summary>
    public static bool Applies(RequestScope scope, AnalyticsField? groupBy, TimeGrouping grouping) =>
        groupBy is null && scope.Filters.Count == 0 && scope.Conditions.Count == 0 && scope.Access.Condition is null
        && grouping is TimeGrouping.None or TimeGrouping.Day or TimeGrouping.Week or TimeGrouping.Month;

    /// <summary>Drops the remembered valid days of the scope (after the rollup split they were based on changed).</summary>
    public void Forget(RequestScope scope)
    {
        lock (_validDays) _validDays.Remove((scope.OrganizationId, scope.From, scope.To));
    }

    /// <summary>
    /// Days of the scope's rolled range with no dirty hour whose latency tables are at least as new as the day's hourly
    /// rows (so they reflect the same rows). A day without any rolled row has no requests: it is valid and empty.
    /// The version lookup runs while <paramref name="rollup"/> looks for dirty hours (both need only the latest roll).
    /// </summary>
    public Task<IReadOnlyList<DateTime>> ValidDaysAsync(RequestScope scope, RollupReader rollup, CancellationToken cancellationToken)
    {
        lock (_validDays)
        {
            var key = (scope.OrganizationId, scope.From, scope.To);
            if (!_validDays.TryGetValue(key, out var days)) _validDays[key] = days = LookUpValidDaysAsync(scope, rollup, cancellationToken);
            return days;
        }
    }

    private async Task<IReadOnlyList<DateTime>> LookUpValidDaysAsync(RequestScope scope, RollupReader rollup, CancellationToken cancellationToken)
    {
        if (await rollup.StateAsync(cancellationToken) is not { } state || RollupReader.RolledHours(scope, state) is not var (start, rolledEnd))
            return [];
        var first = start.Ticks % TimeSpan.TicksPerDay == 0 ? start : start.Date.AddDays(1);
        var end = rolledEnd.Date;
        if (end <= first) return [];
        var org = SqlLiteral.Uuid(scope.OrganizationId);
        var versionsTask = clickHouse.QueryAsync(
            $"""
            SELECT toString(d) AS day, max(hv) AS hourly, max(dv) AS daily FROM (
                SELECT toStartOfDay(hour) AS d, version AS hv, toUInt64(0) AS dv FROM requests_hourly
                WHERE organization_id = {org} AND hour >= {SqlLiteral.DateTime(first)} AND hour < {SqlLiteral.DateTime(end)}
                UNION ALL
                SELECT day AS d, toUInt64(0) AS hv, version AS dv FROM latency_daily_quantiles
                WHERE organization_id = {org} AND day >= {SqlLiteral.DateTime(first)} AND day < {SqlLiteral.DateTime(end)}
            )
            GROUP BY d
            """,
            DailyLatencyJson.Default.DayVersionsRow, cancellationToken);
        if (await rollup.SplitAsync(scope, cancellationToken) is not { } split) return [];
        var dirtyDays = split.Dirty.Select(h => h.Date).ToHashSet();
        var versions = (await versionsTask).ToDictionary(r => HourlyRollup.Parse(r.Day));
        var valid = new List<DateTime>();
        for (var day = first; day < end; day = day.AddDays(1))
        {
            if (dirtyDays.Contains(day)) continue;
            if (!versions.TryGetValue(day, out var v) || (v.Daily > 0 && v.Daily >= v.Hourly)) valid.Add(DateTime.SpecifyKind(day, DateTimeKind.Utc));
        }
        return valid;
    }

    /// <summary>(t, p50, p90) per bucket of <paramref name="grouping"/> ('' for none) over the scope.</summary>
    public Task<List<LatencyPercentilesRow>> PercentilesAsync(
        RequestScope scope, TimeGrouping grouping, IReadOnlyList<DateTime> validDays, CancellationToken cancellationToken)
    {
        var org = SqlLiteral.Uuid(scope.OrganizationId);
        var days = string.Join(", ", validDays.Select(SqlLiteral.DateTime));
        var newest = $"(day, version) IN (SELECT day, max(version) FROM latency_daily_quantiles WHERE organization_id = {org} AND day IN ({days}) GROUP BY day)";
        var rawWhere = $"{scope.WhereClause()}\n  AND ({RemainderCondition(scope, validDays)})";
        if (grouping == TimeGrouping.Day)
        {
            return clickHouse.QueryAsync(
                $"""
                SELECT toString(day) AS t, p50 AS latency_p50, p90 AS latency_p90 FROM latency_daily_quantiles
                WHERE organization_id = {org} AND day IN ({days}) AND {newest}
                UNION ALL
                SELECT toString(toStartOfDay(started_at)) AS t, quantileExact(0.5)(latency_ms) AS latency_p50, quantileExact(0.9)(latency_ms) AS latency_p90
                FROM requests FINAL
                {rawWhere}
                GROUP BY t
                """,
                DailyLatencyJson.Default.LatencyPercentilesRow, cancellationToken);
        }
        // The exact quantile of the merged histograms. quantileExact takes the element at index floor(level * n) of the sorted
        // values; quantileExactWeighted takes the first value whose running weight reaches ceil(level * n). Raising the level
        // by 1e-12 makes that ceil(level * n + 1e-12 * n) = floor(level * n) + 1, i.e. the same element, while 1e-12 * n
        // stays below the gap to the next integer (>= 0.1 for the levels 0.5 and 0.9): exact up to 10^11 requests per bucket.
        return clickHouse.QueryAsync(
            $"""
            SELECT t, q[1] AS latency_p50, q[2] AS latency_p90 FROM (
                SELECT t, quantilesExactWeighted(0.500000000001, 0.900000000001)(v, n) AS q FROM (
                    SELECT {grouping.BucketExpression().Replace("started_at", "day", StringComparison.Ordinal)} AS t, latency_ms AS v, requests AS n
                    FROM latency_daily
                    WHERE organization_id = {org} AND day IN ({days}) AND {newest}
                    UNION ALL
                    SELECT {grouping.BucketExpression()} AS t, latency_ms AS v, count() AS n
                    FROM requests FINAL
                    {rawWhere}
                    GROUP BY t, v
                )
                GROUP BY t
            )
            """,
            DailyLatencyJson.Default.LatencyPercentilesRow, cancellationToken);
    }

    /// <summary>The scope's range minus the valid days, as positive time ranges so the primary key prunes the days.</summary>
    private static string RemainderCondition(RequestScope scope, IReadOnlyList<DateTime> validDays)
    {
        var ranges = new List<(DateTime From, DateTime To)>();
        var cursor = scope.From;
        foreach (var day in validDays.Order())
        {
            if (day > cursor) ranges.Add((cursor, day));
            if (day.AddDays(1) > cursor) cursor = day.AddDays(1);
        }
        if (cursor < scope.To) ranges.Add((cursor, scope.To));
        return ranges.Count == 0
            ? "0"
            : string.Join(" OR ", ranges.Select(r => $"(started_at >= {SqlLiteral.DateTime(r.From)} AND started_at < {SqlLiteral.DateTime(r.To)})"));
    }
}

public sealed record DayVersionsRow(
    [property: JsonPropertyName("day")] string Day, [property: JsonPropertyName("hourly")] ulong Hourly, [property: JsonPropertyName("daily")] ulong Daily);

public sealed record LatencyPercentilesRow(
    [property: JsonPropertyName("t")] string T,
    [property: JsonPropertyName("latency_p50")] uint LatencyP50,
    [property: JsonPropertyName("latency_p90")] uint LatencyP90);

[JsonSerializable(typeof(DayVersionsRow))]
[JsonSerializable(typeof(LatencyPercentilesRow))]
internal sealed partial class DailyLatencyJson : JsonSerializerContext;
