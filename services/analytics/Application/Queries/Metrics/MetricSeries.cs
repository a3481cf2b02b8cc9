namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>One group's value over the whole range (total) and per time bucket (points; only buckets with requests).</summary>
public sealed record MetricSeries(string Group, decimal? Total, IReadOnlyList<MetricPoint> Points);

public sealed record MetricPoint(DateTime T, decimal? Value);

public sealed record MetricQueryResult(IReadOnlyList<MetricSeries> Series);
