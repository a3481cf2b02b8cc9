using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Users;
using Requesty.Management.Domain.Groups;
using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.EventSourcing;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Groups;

/// <summary>
/// Write side for groups and their members. A membership change also republishes the member's keys
/// (<see cref="ApiKeyAccess"/>) in the same append, so the router learns the new group ids.
/// </summary>
public sealed class GroupCommands(EventStore eventStore, UserReadModel users, ApiKeyAccess access)
{
    public async Task<Guid> CreateAsync(Caller caller, CreateGroupRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var created = Group.Create(id, caller.OrganizationId, request.Name!, request.Description, request.MonthlyBudget, request.MemberMonthlyLimit);
        await eventStore.AppendAsync(new StreamAppend(id, Group.StreamType, 0, created), metadata, cancellationToken);
        return id;
    }

    public async Task UpdateAsync(Caller caller, Guid id, UpdateGroupRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var group = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var changed = group.ChangeDetails(request.Name, request.DescriptionGiven, request.Description, request.MonthlyBudgetGiven, request.MonthlyBudget,
            request.MemberMonthlyLimitGiven, request.MemberMonthlyLimit);
        if (changed is not null)
            await eventStore.AppendAsync(new StreamAppend(id, Group.StreamType, group.Version, changed), metadata, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var group = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        List<StreamAppend> appends = [new StreamAppend(id, Group.StreamType, group.Version, group.Delete())];
        foreach (var member in group.Members.Keys)
            appends.AddRange(await KeysOfAsync(caller, member, (await access.GroupIdsAsync(member, cancellationToken)).Where(g => g != id), cancellationToken));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
    }

    public async Task AddMemberAsync(Caller caller, Guid id, AddGroupMemberRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var group = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var userId = request.UserId!.Value;
        _ = await users.FindAsync(caller.OrganizationId, userId, cancellationToken) ?? throw new ResourceNotFoundException("User", userId);
        List<StreamAppend> appends = [new StreamAppend(id, Group.StreamType, group.Version, group.AddMember(userId, request.Role ?? UserRoles.Member))];
        appends.AddRange(await KeysOfAsync(caller, userId, [.. await access.GroupIdsAsync(userId, cancellationToken), id], cancellationToken));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
    }

    public async Task ChangeMemberRoleAsync(Caller caller, Guid id, Guid userId, string role, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var group = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        EnsureMember(group, userId);
        if (group.ChangeMemberRole(userId, role) is { } changed)
            await eventStore.AppendAsync(new StreamAppend(id, Group.StreamType, group.Version, changed), metadata, cancellationToken);
    }

    public async Task RemoveMemberAsync(Caller caller, Guid id, Guid userId, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var group = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        EnsureMember(group, userId);
        List<StreamAppend> appends = [new StreamAppend(id, Group.StreamType, group.Version, group.RemoveMember(userId))];
        appends.AddRange(await KeysOfAsync(caller, userId, (await access.GroupIdsAsync(userId, cancellationToken)).Where(g => g != id), cancellationToken));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
    }

    private async Task<IReadOnlyList<StreamAppend>> KeysOfAsync(Caller caller, Guid userId, IEnumerable<Guid> groupIds, CancellationToken cancellationToken) =>
        await users.FindAsync(caller.OrganizationId, userId, cancellationToken) is { } user
            ? await access.AppendsForUserAsync(caller.OrganizationId, userId, user.Role, groupIds, cancellationToken)
            : [];

    private static void EnsureMember(Group group, Guid userId)
    {
        if (!group.HasMember(userId)) throw new ResourceNotFoundException("Group member", userId);
    }

    private async Task<Group> LoadAsync(Caller caller, Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var group = await FoldStreamAsync(eventStore, id, Group.FromHistory, cancellationToken);
        if (group is null || group.Deleted || group.OrganizationId != caller.OrganizationId)
            throw new ResourceNotFoundException("Group", id);
        EnsureVersion(id, expectedVersion, group.Version);
        return group;
    }
}
