using Requesty.Contracts.Events;

namespace Requesty.Alerts.Application;

/// <summary>Decides which spend rows one completed request adds its cost to.</summary>
public static class SpendAttribution
{
    /// <summary>
    /// The organization, the caller (its user, or the key when the key has no user), every group
    /// of the key, and the caller within each group. Distinct and in a stable order, so concurrent
    /// upserts lock rows in the same order and cannot deadlock.
    /// </summary>
    public static IReadOnlyList<SpendKey> KeysFor(RequestCaller caller)
    {
        var (subjectScope, groupSubjectScope, subjectId) = caller.UserId is { } userId
            ? (SpendScope.User, SpendScope.GroupUser, userId)
            : (SpendScope.ApiKey, SpendScope.GroupApiKey, caller.ApiKeyId);

        var keys = new List<SpendKey>
        {
            new(SpendScope.Organization, caller.OrganizationId, Guid.Empty),
            new(subjectScope, subjectId, Guid.Empty),
        };
        foreach (var groupId in caller.GroupIds.Where(g => g != Guid.Empty).Distinct())
        {
            keys.Add(new SpendKey(SpendScope.Group, groupId, groupId));
            keys.Add(new SpendKey(groupSubjectScope, subjectId, groupId));
        }
        return keys
            .OrderBy(k => k.Scope, StringComparer.Ordinal)
            .ThenBy(k => k.ScopeId)
            .ThenBy(k => k.GroupId)
            .ToList();
    }
}
