using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>
/// Runs a <see cref="MetricQuery"/>: one query for each group's total over the range (an average or
/// percentile of the range is not derivable from the buckets) and one per (group, bucket). When the rollup can answer
/// the query exactly (see <see cref="RollupMetric"/> and <see cref="RollupReader"/>), closed clean hours come from
/// requests_hourly and only the rest from raw rows.
/// </summary>
public sealed class MetricQueryRunner(ClickHouseClient clickHouse, RollupReader rollup)
{
    public const string AllGroup = "all";

    public async Task<MetricQueryResult> RunAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        var sql = await SqlBuilderAsync(query, cancellationToken);
        var totals = await clickHouse.QueryAsync(sql(TimeGrouping.None, ""), MetricRowsJson.Default.TotalRow, cancellationToken);
        var top = totals
            .Select(t => (t.G, Total: RequestScope.ParseNumber(t.V)))
            .OrderByDescending(t => t.Total ?? decimal.MinValue).ThenBy(t => t.G, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();

        var points = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        if (query.TimeGrouping != TimeGrouping.None && top.Count > 0)
        {
            // Only the groups that made the cut travel back (the bucket aggregates are still computed for all).
            var having = totals.Count > top.Count ? $"\nHAVING g IN ({string.Join(", ", top.Select(t => SqlLiteral.String(t.G)))})" : "";
            var rows = await clickHouse.QueryAsync(sql(query.TimeGrouping, having), MetricRowsJson.Default.PointRow, cancellationToken);
            foreach (var row in rows)
            {
                if (!points.TryGetValue(row.G, out var list)) points[row.G] = list = [];
                list.Add(new MetricPoint(RequestScope.ParseBucket(row.T), RequestScope.ParseNumber(row.V)));
            }
        }

        return new MetricQueryResult([.. top.Select(t => new MetricSeries(
            t.G, t.Total, points.TryGetValue(t.G, out var list) ? [.. list.OrderBy(p => p.T)] : []))]);
    }

    /// <summary>SQL for (time grouping, HAVING clause) -> rows of (g, t, v); t is '' without a time grouping.</summary>
    private async Task<Func<TimeGrouping, string, string>> SqlBuilderAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        var group = query.GroupBy?.GroupExpression ?? SqlLiteral.String(AllGroup);
        var scope = query.Scope;
        if (query.TimeGrouping is TimeGrouping.None or TimeGrouping.Hour or TimeGrouping.Day
            && RollupMetric.For(query.Metric, query.Calculation) is { } metric
            && (query.GroupBy is null ? SqlLiteral.String(AllGroup) : RollupReader.ColumnFor(query.GroupBy)) is { } rollupGroup
            && await rollup.SplitAsync(scope, cancellationToken) is { } split)
        {
            return (grouping, having) => $"""
                SELECT g, t, toString({metric.Combine}) AS v
                FROM (
                    SELECT {rollupGroup} AS g, {grouping.BucketExpression().Replace("started_at", "hour", StringComparison.Ordinal)} AS t, {metric.RollupColumns}
                    FROM requests_hourly
                    {split.RollupWhere(scope)}
                    UNION ALL
                    SELECT {group} AS g, {grouping.BucketExpression()} AS t, {metric.RawColumns}
                    FROM requests FINAL
                    {split.RawWhere(scope)}
                    GROUP BY g, t
                )
                GROUP BY g, t{having}
                """;
        }
        var aggregate = MetricCatalog.Aggregate(query.Metric, query.Calculation);
        var where = scope.WhereClause();
        return (grouping, having) =>
            $"SELECT {group} AS g, {grouping.BucketExpression()} AS t, toString({aggregate}) AS v FROM requests FINAL\n{where}\nGROUP BY g, t{having}";
    }
}

public sealed record TotalRow([property: JsonPropertyName("g")] string G, [property: JsonPropertyName("v")] string? V);

public sealed record PointRow(
    [property: JsonPropertyName("g")] string G, [property: JsonPropertyName("t")] string T, [property: JsonPropertyName("v")] string? V);

[JsonSerializable(typeof(TotalRow))]
[JsonSerializable(typeof(PointRow))]
internal sealed partial class MetricRowsJson : JsonSerializerContext;
