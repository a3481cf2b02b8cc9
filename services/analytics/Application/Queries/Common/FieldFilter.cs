namespace Requesty.Analytics.Application.Queries.Common;

/// <summary>A filter on one field: the field matches any of the values ('*' is a wildcard).</summary>
public sealed record FieldFilter(AnalyticsField Field, IReadOnlyList<string> Values)
{
    public const int MaxFilters = 20;
    public const int MaxValues = 100;
    public const int MaxValueLength = 256;

    public string Condition => Field.MatchCondition(Values);

    /// <summary>Validates raw "field -> comma,separated,values" pairs; errors are reported as "{prefix}.{field}".</summary>
    public static List<FieldFilter> ParseAll(IEnumerable<KeyValuePair<string, string?>> raw, ValidationErrors errors, string prefix)
    {
        var filters = new List<FieldFilter>();
        foreach (var (name, value) in raw)
        {
            var errorKey = $"{prefix}.{name}";
            if (filters.Count >= MaxFilters)
            {
                errors.Add(prefix, $"At most {MaxFilters} filters are allowed.");
                break;
            }
            var field = AnalyticsFields.Resolve(name, out var fieldError);
            if (field is null)
            {
                errors.Add(errorKey, fieldError!);
                continue;
            }
            var values = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (values.Length == 0) errors.Add(errorKey, "A filter needs at least one value (comma-separated, '*' as wildcard).");
            else if (values.Length > MaxValues) errors.Add(errorKey, $"At most {MaxValues} values per filter.");
            else if (values.Any(v => v.Length > MaxValueLength)) errors.Add(errorKey, $"Filter values are at most {MaxValueLength} characters.");
            else if (values.Any(v => v.Any(char.IsControl))) errors.Add(errorKey, "Filter values must not contain control characters.");
            else filters.Add(new FieldFilter(field, values));
        }
        return filters;
    }
}
