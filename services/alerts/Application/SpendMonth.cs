namespace Requesty.Alerts.Application;

/// <summary>Calendar months in UTC: spend resets at 00:00 UTC on the 1st.</summary>
public static class SpendMonth
{
    /// <summary>First day of the UTC month containing <paramref name="at"/>; unspecified kinds are taken as UTC.</summary>
    public static DateOnly Of(DateTime at)
    {
        var utc = at.Kind switch
        {
            DateTimeKind.Local => at.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(at, DateTimeKind.Utc),
            _ => at,
        };
        return new DateOnly(utc.Year, utc.Month, 1);
    }

    /// <summary>Parses "YYYY-MM" into the month's first day.</summary>
    public static bool TryParse(string? text, out DateOnly month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), out var year) || !int.TryParse(text.AsSpan(5, 2), out var number)) return false;
        if (year < 2000 || year > 9999 || number < 1 || number > 12) return false;
        month = new DateOnly(year, number, 1);
        return true;
    }

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
