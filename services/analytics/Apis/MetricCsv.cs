using System.Globalization;
using System.Text;
using Requesty.Analytics.Application.Queries.Metrics;

namespace Requesty.Analytics.Apis;

/// <summary>The pivot export: one row per group, columns group, total, then one per bucket (dates as columns).</summary>
public static class MetricCsv
{
    public const string ContentType = "text/csv";

    public static string Write(MetricQueryResult result)
    {
        var buckets = result.Series.SelectMany(s => s.Points).Select(p => p.T).Distinct().Order().ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', new[] { "group", "total" }.Concat(buckets.Select(b => b.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))));
        csv.Append("\r\n");
        foreach (var series in result.Series)
        {
            var byBucket = series.Points.ToDictionary(p => p.T, p => p.Value);
            csv.Append(Escape(series.Group)).Append(',').Append(Format(series.Total));
            foreach (var bucket in buckets)
                csv.Append(',').Append(byBucket.TryGetValue(bucket, out var value) ? Format(value) : "");
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180 quoting; a leading formula character is neutralised so spreadsheets don't execute group names.</summary>
    public static string Escape(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
