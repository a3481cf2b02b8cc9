namespace Requesty.Analytics.Application.Queries.Common;

public enum TimeGrouping { None, Minute, Hour, Day, Week, Month }

public static class TimeGroupings
{
    /// <summary>More buckets than this per series is a bad range/grouping combination (400), not a slow query.</summary>
    public const int MaxBuckets = 10_000;

    public static TimeGrouping? Parse(string? value, IReadOnlyCollection<TimeGrouping> allowed, TimeGrouping fallback, ValidationErrors errors, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (Enum.TryParse<TimeGrouping>(value, ignoreCase: true, out var parsed) && allowed.Contains(parsed)
            && !int.TryParse(value, out _))
            return parsed;
        errors.Add(field, $"{field} must be one of: {string.Join(", ", allowed.Select(a => a.ToString().ToLowerInvariant()))}.");
        return null;
    }

    /// <summary>The bucket start as 'yyyy-MM-dd HH:mm:ss' (UTC). Weeks start on Monday.</summary>
    public static string BucketExpression(this TimeGrouping grouping) => grouping switch
    {
        TimeGrouping.Minute => "toString(toStartOfMinute(started_at))",
        TimeGrouping.Hour => "toString(toStartOfHour(started_at))",
        TimeGrouping.Day => "toString(toStartOfDay(started_at))",
        TimeGrouping.Week => "toString(toDateTime(toMonday(started_at), 'UTC'))",
        TimeGrouping.Month => "toString(toDateTime(toStartOfMonth(started_at), 'UTC'))",
        _ => "''",
    };

    public static long BucketCount(this TimeGrouping grouping, DateTime from, DateTime to)
    {
        var step = grouping switch
        {
            TimeGrouping.Minute => TimeSpan.FromMinutes(1),
            TimeGrouping.Hour => TimeSpan.FromHours(1),
            TimeGrouping.Day => TimeSpan.FromDays(1),
            TimeGrouping.Week => TimeSpan.FromDays(7),
            TimeGrouping.Month => TimeSpan.FromDays(28),
            _ => TimeSpan.MaxValue,
        };
        return (long)Math.Ceiling((to - from) / step) + 1;
    }

    public static void CheckBuckets(this TimeGrouping grouping, DateTime from, DateTime to, ValidationErrors errors, string field)
    {
        if (grouping != TimeGrouping.None && grouping.BucketCount(from, to) > MaxBuckets)
            errors.Add(field, $"This range has more than {MaxBuckets} {grouping.ToString().ToLowerInvariant()} buckets; use a coarser grouping or a shorter range.");
    }
}
