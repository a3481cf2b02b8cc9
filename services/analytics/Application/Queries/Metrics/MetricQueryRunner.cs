using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>
/// Runs a <see cref="MetricQuery"/>: one query for each group's total over the range (an average or
/// percentile of the range is not derivable from the buckets) and one per (group, bucket).
/// </summary>
public sealed class MetricQueryRunner(ClickHouseClient clickHouse)
{
    public const string AllGroup = "all";

    public async Task<MetricQueryResult> RunAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        var aggregate = MetricCatalog.Aggregate(query.Metric, query.Calculation);
        var group = query.GroupBy?.GroupExpression ?? SqlLiteral.String(AllGroup);
        var where = query.Scope.WhereClause();

        var totals = await clickHouse.QueryAsync(
            $"SELECT {group} AS g, toString({aggregate}) AS v FROM requests FINAL\n{where}\nGROUP BY g",
            MetricRowsJson.Default.TotalRow, cancellationToken);
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
            var rows = await clickHouse.QueryAsync(
                $"SELECT {group} AS g, {query.TimeGrouping.BucketExpression()} AS t, toString({aggregate}) AS v FROM requests FINAL\n{where}\nGROUP BY g, t{having}",
                MetricRowsJson.Default.PointRow, cancellationToken);
            foreach (var row in rows)
            {
                if (!points.TryGetValue(row.G, out var list)) points[row.G] = list = [];
                list.Add(new MetricPoint(RequestScope.ParseBucket(row.T), RequestScope.ParseNumber(row.V)));
            }
        }

        return new MetricQueryResult([.. top.Select(t => new MetricSeries(
            t.G, t.Total, points.TryGetValue(t.G, out var list) ? [.. list.OrderBy(p => p.T)] : []))]);
    }
}

public sealed record TotalRow([property: JsonPropertyName("g")] string G, [property: JsonPropertyName("v")] string? V);

public sealed record PointRow(
    [property: JsonPropertyName("g")] string G, [property: JsonPropertyName("t")] string T, [property: JsonPropertyName("v")] string? V);

[JsonSerializable(typeof(TotalRow))]
[JsonSerializable(typeof(PointRow))]
internal sealed partial class MetricRowsJson : JsonSerializerContext;
