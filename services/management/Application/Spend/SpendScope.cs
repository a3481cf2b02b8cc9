using Requesty.Contracts.Events;
using Requesty.Contracts.Management;

namespace Requesty.Management.Application.Spend;

/// <summary>Something spend is summed and limited for: an API key, user, project, group or the organisation.</summary>
public readonly record struct SpendScope(string Scope, Guid ScopeId)
{
    /// <summary>Every scope a request's cost counts towards, each once, in a fixed order (so concurrent upserts lock rows alike).</summary>
    public static IReadOnlyList<SpendScope> Of(RequestCaller caller)
    {
        var scopes = new List<SpendScope> { new(SpendScopes.ApiKey, caller.ApiKeyId) };
        if (caller.UserId is { } user) scopes.Add(new(SpendScopes.User, user));
        if (caller.ProjectId is { } project) scopes.Add(new(SpendScopes.Project, project));
        scopes.AddRange(caller.GroupIds.Distinct().Select(g => new SpendScope(SpendScopes.Group, g)));
        scopes.Add(new(SpendScopes.Organization, caller.OrganizationId));
        return scopes.OrderBy(s => s.Scope, StringComparer.Ordinal).ThenBy(s => s.ScopeId).ToArray();
    }

    /// <summary>First day of the UTC month, as a UTC midnight.</summary>
    public static DateTime MonthStart(DateTime instant)
    {
        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        return new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }
}
