using System.Globalization;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Common;

/// <summary>Which requests a query looks at: one organization, [from, to), and filters.</summary>
public sealed record RequestScope(Guid OrganizationId, DateTime From, DateTime To, IReadOnlyList<FieldFilter> Filters)
{
    /// <summary>Extra conditions built by the application itself (never from raw input).</summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];

    /// <summary>The caller's row restriction (members see their own rows only); part of every WHERE clause.</summary>
    public RowAccess Access { get; init; } = RowAccess.WholeOrganization;

    public string WhereClause()
    {
        var parts = new List<string>
        {
            $"organization_id = {SqlLiteral.Uuid(OrganizationId)}",
            $"started_at >= {SqlLiteral.DateTime(From)}",
            $"started_at < {SqlLiteral.DateTime(To)}",
        };
        parts.AddRange(Filters.Select(f => f.Condition));
        parts.AddRange(Conditions);
        if (Access.Condition is { } access) parts.Add(access);
        return "WHERE " + string.Join("\n  AND ", parts);
    }

    /// <summary>Parses ClickHouse's "yyyy-MM-dd HH:mm:ss" (UTC) bucket strings.</summary>
    public static DateTime ParseBucket(string value) => DateTime.ParseExact(
        value, SqlLiteral.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>An aggregate rendered by toString(): number, or null for NULL/nan/inf (e.g. average of no values).</summary>
    public static decimal? ParseNumber(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
