using Requesty.Management.Application.Groups;
using Requesty.Management.Application.Users;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.ApiKeys;

/// <summary>
/// Keeps the router's view of a user's keys right: when the user's role or groups change, every live key
/// of the user gets an <see cref="ApiKeyAccessChanged"/> in the same append. The outbox turns each into
/// an ApiKeyUpserted whose Version (the key stream's version) is higher than any the router has seen.
/// </summary>
public sealed class ApiKeyAccess(ApiKeyReadModel apiKeys, GroupReadModel groups)
{
    public async Task<IReadOnlyList<Guid>> GroupIdsAsync(Guid userId, CancellationToken cancellationToken) =>
        IdentityStreams.Canonical(await groups.GroupIdsOfAsync(userId, cancellationToken));

    /// <summary>Appends for the user's live keys with the new role and group ids (expected versions from the read model: a concurrent key write makes it a 409).</summary>
    public async Task<IReadOnlyList<StreamAppend>> AppendsForUserAsync(
        Guid organizationId, Guid userId, string role, IEnumerable<Guid> groupIds, CancellationToken cancellationToken)
    {
        var ids = IdentityStreams.Canonical(groupIds);
        var keys = await apiKeys.ListLiveKeyVersionsAsync(organizationId, cancellationToken, userId: userId);
        return keys.Select(k => new StreamAppend(k.Id, ApiKey.StreamType, k.Version, new ApiKeyAccessChanged(role, ids))).ToArray();
    }

    /// <summary>Appends for every live key of the organisation with its new default model (same expected-version rule).</summary>
    public async Task<IReadOnlyList<StreamAppend>> AppendsForDefaultModelAsync(Guid organizationId, string? defaultModel, CancellationToken cancellationToken)
    {
        var keys = await apiKeys.ListLiveKeyVersionsOfOrganizationAsync(organizationId, cancellationToken);
        return keys.Select(k => new StreamAppend(k.Id, ApiKey.StreamType, k.Version, new ApiKeyDefaultModelChanged(defaultModel))).ToArray();
    }
}
