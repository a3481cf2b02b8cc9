using Requesty.Alerts.Auth;

namespace Requesty.Alerts.Apis;

/// <summary>
/// Which organization a call acts for: an API key's own organization, or with the internal token
/// the org_id of the query string (POST/PUT bodies may carry org_id instead).
/// </summary>
internal static class OrgScope
{
    /// <returns>
    /// The organization; null with a field error in <paramref name="errors"/> (internal token without
    /// org_id) or with <paramref name="notFound"/> set (an API key naming another organization in the body).
    /// </returns>
    public static Guid? Resolve(HttpContext http, Guid? bodyOrgId, Dictionary<string, string[]> errors, out IResult? notFound)
    {
        notFound = null;
        var caller = AlertsCaller.From(http);
        if (caller.IsApiKey)
        {
            var own = caller.OrganizationId!.Value;
            if (bodyOrgId is not { } named || named == Guid.Empty || named == own) return own;
            notFound = AlertsAccessFilter.NotFound();
            return null;
        }
        if (caller.OrganizationId is { } fromQuery) return fromQuery;
        if (!http.Request.Query.ContainsKey("org_id") && bodyOrgId is { } fromBody && fromBody != Guid.Empty) return fromBody;
        errors["org_id"] = ["org_id is required with the internal token (query string or body) and must be a UUID."];
        return null;
    }

    public static Guid? Resolve(HttpContext http, Dictionary<string, string[]> errors) => Resolve(http, null, errors, out _);
}
