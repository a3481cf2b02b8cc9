namespace Requesty.Alerts.Apis;

/// <summary>
/// Which organization a call acts for. For now the caller (another service holding Internal:Token)
/// names it with org_id; API-key/RBAC authentication arrives with the management issue.
/// </summary>
internal static class OrgScope
{
    public static Guid? Resolve(string? queryOrgId, Guid? bodyOrgId, Dictionary<string, string[]> errors)
    {
        if (queryOrgId is null && bodyOrgId is { } fromBody && fromBody != Guid.Empty) return fromBody;
        if (Guid.TryParse(queryOrgId, out var org) && org != Guid.Empty) return org;
        errors["org_id"] = ["org_id is required (query string or body) and must be a UUID."];
        return null;
    }
}
