using System.Text.RegularExpressions;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Common;

/// <summary>
/// A dimension of the requests table that callers may group or filter by. Only the names in
/// <see cref="AnalyticsFields"/> (and validated meta keys) ever become SQL; the SQL comes from here, never from the caller.
/// </summary>
public sealed record AnalyticsField(string Name, string Expression, bool IsArray = false)
{
    /// <summary>The expression to GROUP BY: arrays are unrolled (a request with two tags counts in both; none -> '').</summary>
    public string GroupExpression => IsArray ? $"arrayJoin(if(empty({Expression}), [''], {Expression}))" : Expression;

    /// <summary>A boolean SQL condition that is true when the field matches any of the values (exact, or LIKE for '*' wildcards).</summary>
    public string MatchCondition(IReadOnlyList<string> values)
    {
        var subject = IsArray ? "x" : Expression;
        var exact = values.Where(v => !v.Contains('*')).Select(SqlLiteral.String).ToList();
        var parts = new List<string>();
        if (exact.Count > 0) parts.Add($"{subject} IN ({string.Join(", ", exact)})");
        parts.AddRange(values.Where(v => v.Contains('*')).Select(v => $"{subject} LIKE {SqlLiteral.String(LikePattern.FromWildcard(v))}"));
        var condition = string.Join(" OR ", parts);
        return IsArray ? $"arrayExists(x -> ({condition}), {Expression})" : $"({condition})";
    }
}

public static partial class AnalyticsFields
{
    public const string MetaPrefix = "meta.";
    private const string EmptyUuid = "toUUID('00000000-0000-0000-0000-000000000000')";

    private static string OptionalUuid(string column) => $"if({column} = {EmptyUuid}, '', toString({column}))";

    private static readonly Dictionary<string, AnalyticsField> Known = new AnalyticsField[]
    {
        new("model", "if(served_model != '', served_model, requested_model)"),
        new("requested_model", "requested_model"),
        new("provider", "served_provider"),
        // The organization member who owns the API key; `end_user` is the caller's own user id from request metadata.
        new("user", OptionalUuid("user_id")),
        new("end_user", "end_user_id"),
        new("api_key", "toString(api_key_id)"),
        new("project", OptionalUuid("project_id")),
        new("service_account", OptionalUuid("service_account_id")),
        new("policy", "policy_name"),
        new("region", "region"),
        new("status", "status"),
        new("error_kind", "error_kind"),
        new("endpoint", "endpoint"),
        new("key_source", "key_source"),
        new("stream", "toString(stream)"),
        new("trace_id", "trace_id"),
        new("tag", "tags", IsArray: true),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Known.Keys.Append(MetaPrefix + "<field>");

    /// <summary>Resolves a field name; null (with an error message) when it is not a known field or a valid meta.&lt;key&gt;.</summary>
    public static AnalyticsField? Resolve(string name, out string? error)
    {
        error = null;
        if (Known.TryGetValue(name, out var field)) return field;
        if (name.StartsWith(MetaPrefix, StringComparison.Ordinal))
        {
            var key = name[MetaPrefix.Length..];
            if (MetaKeyPattern().IsMatch(key))
                return new AnalyticsField(name, $"meta_values[indexOf(meta_keys, {SqlLiteral.String(key)})]");
            error = "A metadata key may only contain letters, digits, '_', '-', '.' and ':' (at most 128).";
            return null;
        }
        error = $"Unknown field '{Truncate(name)}'. Known fields: {string.Join(", ", Names)}.";
        return null;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";

    [GeneratedRegex(@"^[A-Za-z0-9_\-.:]{1,128}$")]
    private static partial Regex MetaKeyPattern();
}
