using Requesty.Management.Application.Projects;
using Requesty.Management.Application.ServiceAccounts;
using Requesty.Management.Application.Users;
using Requesty.Management.Domain;
using Requesty.Management.Domain.Projects;
using Requesty.Management.Domain.Users;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.ApiKeys;

/// <summary>
/// Write side for API keys: load the key's stream, let the aggregate decide, append with the
/// version that decision was based on. A concurrent writer makes the append throw
/// <see cref="ConcurrencyException"/> (409); <paramref name="expectedVersion"/> (If-Match) lets a client
/// insist on the version it last saw.
/// </summary>
public sealed class ApiKeyCommands(
    EventStore eventStore, TimeProvider time, UserReadModel users, ProjectReadModel projects, ServiceAccountReadModel serviceAccounts, ApiKeyAccess access,
    OrganizationReadModel organizations)
{
    public async Task<(Guid Id, string Key)> CreateAsync(Caller caller, CreateApiKeyRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var owner = await ResolveOwnerAsync(caller, request, cancellationToken);
        var key = ApiKeySecret.Generate();
        var id = Guid.NewGuid();
        var defaultModel = (await organizations.FindAsync(caller.OrganizationId, cancellationToken))?.DefaultModel;
        var created = new ApiKeyCreated(
            id,
            caller.OrganizationId,
            request.Name!.Trim(),
            ApiKeySecret.Hash(key),
            ApiKeySecret.DisplayPrefix(key),
            ApiKeyPermissions.Normalize(request.Permissions ?? ApiKeyPermissions.Default),
            request.MonthlyLimit,
            new SortedDictionary<string, string>(request.Labels ?? [], StringComparer.Ordinal),
            request.ExpiresAt?.UtcDateTime,
            owner.ProjectId,
            owner.ServiceAccountId,
            owner.UserId,
            caller.ApiKeyId,
            owner.Role,
            owner.GroupIds,
            defaultModel);
        await eventStore.AppendAsync(new StreamAppend(id, ApiKey.StreamType, 0, created), metadata, cancellationToken);
        return (id, key);
    }

    private sealed record KeyOwner(Guid? UserId, Guid? ServiceAccountId, Guid? ProjectId, string Role, IReadOnlyList<Guid> GroupIds);

    /// <summary>
    /// Who the new key belongs to: a service account (no user), the given user (admins only) or the caller's
    /// user; and its project: the given one (a live project the caller may use; a private project only holds its
    /// owner's keys) or the user's private project.
    /// </summary>
    private async Task<KeyOwner> ResolveOwnerAsync(Caller caller, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin && (request.ServiceAccountId is not null || (request.UserId is { } other && other != caller.UserId)))
            throw new ApiKeyForbiddenException("Members can only create API keys for themselves.");

        Guid? userId = null, serviceAccountId = null;
        UserRow? user = null;
        if (request.ServiceAccountId is { } accountId)
        {
            serviceAccountId = (await serviceAccounts.FindAsync(caller.OrganizationId, accountId, cancellationToken)
                ?? throw new ResourceNotFoundException("Service account", accountId)).Id;
        }
        else if ((request.UserId ?? caller.UserId) is { } ownerId)
        {
            user = await users.FindAsync(caller.OrganizationId, ownerId, cancellationToken) ?? throw new ResourceNotFoundException("User", ownerId);
            userId = user.Id;
        }

        var projectId = user?.PrivateProjectId;
        if (request.ProjectId is { } requestedProject)
        {
            var project = await projects.FindAsync(caller.OrganizationId, requestedProject, cancellationToken);
            if (project is null || (!caller.IsAdmin && project.Kind == Project.Private && project.OwnerUserId != caller.UserId))
                throw new ResourceNotFoundException("Project", requestedProject);
            if (project.Kind == Project.Private && project.OwnerUserId != userId)
                throw new ApiKeyReferenceException("project_id", "A private project only holds API keys of its owner; use a shared project.");
            projectId = project.Id;
        }

        return user is null
            ? new KeyOwner(null, serviceAccountId, projectId, UserRoles.Admin, [])
            : new KeyOwner(user.Id, null, projectId, user.Role, await access.GroupIdsAsync(user.Id, cancellationToken));
    }

    public Task ChangeMonthlyLimitAsync(Caller caller, Guid id, decimal? monthlyLimit, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeMonthlyLimit(monthlyLimit), metadata, cancellationToken);

    public Task ChangeLabelsAsync(Caller caller, Guid id, IReadOnlyDictionary<string, string> labels, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeLabels(labels), metadata, cancellationToken);

    public Task ChangeExpiryAsync(Caller caller, Guid id, DateTime? expiresAt, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeExpiry(expiresAt, time.GetUtcNow().UtcDateTime), metadata, cancellationToken);

    public Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.Delete(), metadata, cancellationToken);

    private async Task ExecuteAsync(
        Caller caller, Guid id, long? expectedVersion, Func<ApiKey, IDomainEvent> decide, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var key = ApiKey.FromHistory((await eventStore.ReadStreamAsync(id, cancellationToken)).Select(e => e.Data));
        if (key is null || key.Deleted || key.OrganizationId != caller.OrganizationId || !caller.MaySee(key.UserId))
            throw new ResourceNotFoundException("API key", id);
        if (expectedVersion is { } expected && expected != key.Version)
            throw new ConcurrencyException(id, expected, key.Version);

        await eventStore.AppendAsync(new StreamAppend(id, ApiKey.StreamType, key.Version, decide(key)), metadata, cancellationToken);
    }
}

/// <summary>A referenced id is unusable for the new key (answered as a field-level 400).</summary>
public sealed class ApiKeyReferenceException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The caller's role does not allow this key operation (answered as 403).</summary>
public sealed class ApiKeyForbiddenException(string message) : Exception(message);
