using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>An API key as management.api_keys would have shown it at a past instant.</summary>
public static class ApiKeyTimeTravel
{
    /// <summary>The key of <paramref name="organizationId"/> at <paramref name="asOf"/>; null if it did not exist then (not created yet, deleted, or another organisation's).</summary>
    public static async Task<ApiKeyRow?> FindApiKeyAsync(
        this StreamTimeTravel travel, Guid organizationId, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        var row = await travel.StateAtAsync(id, asOf, Fold, cancellationToken);
        return row is { DeletedAt: null } && row.OrganizationId == organizationId ? row : null;
    }

    /// <summary>Same fields as the projection writes: created_at of the first event, updated_at of the last, deleted_at of the deletion.</summary>
    public static ApiKeyRow? Fold(IReadOnlyList<StoredEvent> history)
    {
        if (history.Count == 0 || history[0].Data is not ApiKeyCreated created) return null;
        var key = ApiKey.FromHistory(history.Select(e => e.Data))!;
        var last = history[^1];
        return new ApiKeyRow(key.Id, key.OrganizationId, key.Name, key.KeyHash, key.Prefix, key.Permissions, key.MonthlyLimit,
            key.Labels, key.ExpiresAt, key.ProjectId, key.ServiceAccountId, key.UserId, created.CreatedBy,
            history[0].OccurredAt, last.OccurredAt, key.Deleted ? last.OccurredAt : null, key.Version)
        {
            Role = key.Role,
            GroupIds = key.GroupIds,
            DefaultModel = key.DefaultModel,
        };
    }
}
