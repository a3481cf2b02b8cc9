using System.Globalization;

namespace Requesty.Analytics.Application.Queries.Common;

/// <summary>Field-level validation messages, shaped for RFC 7807 validation problems.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Guid ParseOrganization(string? value, string field = "org_id")
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"{field} is required.");
        else if (Guid.TryParse(value, out var id) && id != Guid.Empty) return id;
        else Add(field, $"{field} must be a non-empty UUID.");
        return Guid.Empty;
    }

    public DateTime? ParseTime(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required (ISO 8601, e.g. 2025-01-31T00:00:00Z).");
            return null;
        }
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            || parsed.UtcDateTime.Year is < 1971 or > 2104)
        {
            Add(field, $"{field} must be an ISO 8601 date-time between 1971 and 2104.");
            return null;
        }
        return parsed.UtcDateTime;
    }

    /// <summary>Parses from/to and checks to &gt; from; null when anything is wrong.</summary>
    public (DateTime From, DateTime To)? ParseRange(string? from, string? to)
    {
        var f = ParseTime(from, "from");
        var t = ParseTime(to, "to");
        if (f is null || t is null) return null;
        if (t <= f)
        {
            Add("to", "to must be later than from.");
            return null;
        }
        return (f.Value, t.Value);
    }
}
