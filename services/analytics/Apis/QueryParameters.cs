using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;

namespace Requesty.Analytics.Apis;

/// <summary>Query-string parsing shared by the GET views (org_id, from, to, filter.&lt;field&gt;, group_by).</summary>
public static class QueryParameters
{
    public const string FilterPrefix = "filter.";

    /// <summary>org_id, from, to and filter.* (plus the view's own parameters); anything else is an unknown field.</summary>
    public static RequestScope? ParseScope(HttpRequest request, string[] ownParameters, ValidationErrors errors)
    {
        foreach (var key in request.Query.Keys.Where(k => !k.StartsWith(FilterPrefix, StringComparison.Ordinal)
                     && k is not ("org_id" or "from" or "to") && !ownParameters.Contains(k)))
            errors.Add(key, $"Unknown parameter. Allowed: org_id, from, to, {string.Join(", ", ownParameters.Append(FilterPrefix + "<field>"))}.");

        var caller = AnalyticsCaller.Of(request.HttpContext);
        var org = caller.ResolveOrganization(request.Query["org_id"], errors);
        var range = errors.ParseRange(request.Query["from"], request.Query["to"]);
        var filters = FieldFilter.ParseAll(
            request.Query.Where(q => q.Key.StartsWith(FilterPrefix, StringComparison.Ordinal))
                .Select(q => new KeyValuePair<string, string?>(q.Key[FilterPrefix.Length..], string.Join(',', q.Value.Where(v => v is not null))))
                .ToList(),
            errors, "filter");
        return errors.Any || range is null ? null : new RequestScope(org, range.Value.From, range.Value.To, filters) { Access = caller.Access };
    }

    public static AnalyticsField? ParseGroupBy(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value == "none") return null;
        var field = AnalyticsFields.Resolve(value, out var error);
        if (field is null) errors.Add("group_by", error!);
        return field;
    }
}
