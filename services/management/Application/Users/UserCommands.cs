using Npgsql;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Domain;
using Requesty.Management.Domain.Groups;
using Requesty.Management.Domain.Projects;
using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Users;

/// <summary>
/// Write side for users. A user and their private project are created in one append; deleting a user
/// (only without live keys) also deletes the private project and leaves every group, in one append.
/// </summary>
public sealed class UserCommands(EventStore eventStore, UserReadModel users, ApiKeyReadModel apiKeys, ApiKeyAccess access)
{
    public async Task<Guid> CreateAsync(Caller caller, CreateUserRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim();
        if (await users.EmailInUseAsync(caller.OrganizationId, email, cancellationToken))
            throw new DomainConflictException($"A user with email '{email}' already exists in the organisation.");
        var monthlyLimit = request.MonthlyLimitGiven
            ? request.MonthlyLimit
            : await users.DefaultMonthlyLimitAsync(caller.OrganizationId, cancellationToken);

        var id = Guid.NewGuid();
        await AppendNewUserAsync(eventStore, [], caller.OrganizationId, id, Guid.NewGuid(), email, request.Role!, monthlyLimit, metadata, cancellationToken);
        return id;
    }

    /// <summary>Appends a user and their private project (plus <paramref name="with"/>); a duplicate email is a 409.</summary>
    public static async Task AppendNewUserAsync(
        EventStore eventStore, IReadOnlyList<StreamAppend> with, Guid organizationId, Guid userId, Guid projectId,
        string email, string role, decimal? monthlyLimit, EventMetadata metadata, CancellationToken cancellationToken)
    {
        try
        {
            await eventStore.AppendAsync(
            [
                new StreamAppend(userId, User.StreamType, 0, User.Create(userId, organizationId, email, role, monthlyLimit, projectId)),
                new StreamAppend(projectId, Project.StreamType, 0, Project.CreatePrivate(projectId, organizationId, userId, email, null)),
                .. with,
            ], metadata, cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "users_email_unique" })
        {
            throw new DomainConflictException($"A user with email '{email}' already exists in the organisation.");
        }
    }

    public async Task UpdateAsync(Caller caller, Guid id, UpdateUserRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var events = user.Update(request.Role, request.MonthlyLimitGiven, request.MonthlyLimit);
        if (events.Count == 0) return;

        List<StreamAppend> appends = [new StreamAppend(id, User.StreamType, user.Version, events)];
        if (events.OfType<UserRoleChanged>().SingleOrDefault() is { } roleChanged)
            appends.AddRange(await access.AppendsForUserAsync(
                caller.OrganizationId, id, roleChanged.Role, await access.GroupIdsAsync(id, cancellationToken), cancellationToken));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var liveKeys = await apiKeys.ListLiveKeyVersionsAsync(caller.OrganizationId, cancellationToken, userId: id, projectId: user.PrivateProjectId);
        List<StreamAppend> appends = [new StreamAppend(id, User.StreamType, user.Version, user.Delete(liveKeys.Count))];

        if (await FoldStreamAsync(eventStore, user.PrivateProjectId, Project.FromHistory, cancellationToken) is { Deleted: false } project)
            appends.Add(new StreamAppend(project.Id, Project.StreamType, project.Version, project.DeleteWithOwner()));
        foreach (var groupId in await access.GroupIdsAsync(id, cancellationToken))
            if (await FoldStreamAsync(eventStore, groupId, Group.FromHistory, cancellationToken) is { } group && group.HasMember(id))
                appends.Add(new StreamAppend(groupId, Group.StreamType, group.Version, group.RemoveMember(id)));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
    }

    private async Task<User> LoadAsync(Caller caller, Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var user = await FoldStreamAsync(eventStore, id, User.FromHistory, cancellationToken);
        if (user is null || user.Deleted || user.OrganizationId != caller.OrganizationId)
            throw new ResourceNotFoundException("User", id);
        EnsureVersion(id, expectedVersion, user.Version);
        return user;
    }
}
