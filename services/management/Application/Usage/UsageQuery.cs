using System.Globalization;
using System.Text.RegularExpressions;

namespace Requesty.Management.Application.Usage;

/// <summary>
/// The usage parameters of GET /v1/manage/apikey/{id}: start and end (ISO dates or instants; a date-only end
/// includes that whole day; default the current calendar month, UTC), period (hour|day|week|month, default day)
/// and group_by (user, model, or a custom metadata field; optional).
/// </summary>
public sealed partial record UsageQuery(DateTime Start, DateTime End, string Period, string? GroupBy)
{
    public static readonly IReadOnlyList<string> Periods = ["hour", "day", "week", "month"];
    public const int MaxBuckets = 10_000;

    /// <summary>The analytics field to group by: "user" and "model" as they are, anything else is a metadata key.</summary>
    public string? AnalyticsGroupBy => GroupBy switch
    {
        null => null,
        "user" or "model" => GroupBy,
        _ when GroupBy.StartsWith("meta.", StringComparison.Ordinal) => GroupBy,
        _ => "meta." + GroupBy,
    };

    public static UsageQuery? Parse(IQueryCollection query, DateTime nowUtc, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var monthStart = new DateTime(nowUtc.Year, nowUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var start = Instant(query, "start", endOfDay: false, errors) ?? monthStart;
        var end = Instant(query, "end", endOfDay: true, errors) ?? monthStart.AddMonths(1);
        if (!errors.ContainsKey("start") && !errors.ContainsKey("end") && end <= start)
            errors["end"] = ["end must be later than start."];

        var period = Text(query, "period")?.ToLowerInvariant() ?? "day";
        if (!Periods.Contains(period)) errors["period"] = [$"period must be one of: {string.Join(", ", Periods)}."];
        else if (errors.Count == 0 && Buckets(period, start, end) > MaxBuckets)
            errors["period"] = [$"This range has more than {MaxBuckets} {period} periods; use a longer period or a shorter range."];

        var groupBy = Text(query, "group_by");
        if (groupBy is not null && !GroupByPattern().IsMatch(groupBy))
            errors["group_by"] = ["group_by must be user, model or a custom metadata field (letters, digits, '_', '-', '.', ':'; at most 128)."];

        return errors.Count > 0 ? null : new UsageQuery(start, end, period, groupBy);
    }

    private static long Buckets(string period, DateTime start, DateTime end) =>
        (long)Math.Ceiling((end - start) / period switch
        {
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            _ => TimeSpan.FromDays(28),
        }) + 1;

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.LastOrDefault() is { Length: > 0 } value ? value.Trim() : null;

    private static DateTime? Instant(IQueryCollection query, string name, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } raw) return null;
        if (DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            return InRange(endOfDay ? date.AddDays(1) : date, name, errors);
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return InRange(instant.UtcDateTime, name, errors);
        errors[name] = [$"{name} must be an ISO 8601 date (2025-01-31) or instant (2025-01-31T12:00:00Z)."];
        return null;
    }

    // The analytics store keeps DateTime columns, which cover 1970-2105.
    private static DateTime? InRange(DateTime value, string name, Dictionary<string, string[]> errors)
    {
        if (value.Year is >= 1971 and <= 2104) return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        errors[name] = [$"{name} must be between 1971 and 2104."];
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-.:]{1,128}$")]
    private static partial Regex GroupByPattern();
}
