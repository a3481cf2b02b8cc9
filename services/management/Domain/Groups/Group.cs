namespace Requesty.Management.Domain.Groups;

/// <summary>A named set of users with a monthly budget; membership lives in the group's stream.</summary>
public sealed class Group
{
    public const string StreamType = "group";

    private readonly Dictionary<Guid, string> _members = [];

    private Group() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public decimal? MonthlyBudget { get; private set; }
    /// <summary>USD per calendar month (UTC) each member may spend; null = none.</summary>
    public decimal? MemberMonthlyLimit { get; private set; }
    public bool Deleted { get; private set; }
    public long Version { get; private set; }

    /// <summary>Member user id -> role in the group.</summary>
    public IReadOnlyDictionary<Guid, string> Members => _members;

    public static GroupCreated Create(Guid id, Guid organizationId, string name, string? description, decimal? monthlyBudget, decimal? memberMonthlyLimit = null) =>
        new(id, organizationId, name.Trim(), description, monthlyBudget, memberMonthlyLimit);

    public static Group? FromHistory(IEnumerable<IDomainEvent> history)
    {
        Group? group = null;
        foreach (var @event in history)
        {
            group ??= new Group();
            group.Apply(@event);
        }
        return group;
    }

    /// <summary>Null when nothing changes.</summary>
    public GroupDetailsChanged? ChangeDetails(
        string? name, bool descriptionGiven, string? description, bool budgetGiven, decimal? monthlyBudget,
        bool memberLimitGiven = false, decimal? memberMonthlyLimit = null)
    {
        EnsureNotDeleted();
        var changed = new GroupDetailsChanged(
            name?.Trim() ?? Name,
            descriptionGiven ? description : Description,
            budgetGiven ? monthlyBudget : MonthlyBudget,
            memberLimitGiven ? memberMonthlyLimit : MemberMonthlyLimit);
        return changed.Name == Name && changed.Description == Description && changed.MonthlyBudget == MonthlyBudget
            && changed.MemberMonthlyLimit == MemberMonthlyLimit ? null : changed;
    }

    public GroupDeleted Delete()
    {
        EnsureNotDeleted();
        return new GroupDeleted();
    }

    public GroupMemberAdded AddMember(Guid userId, string role)
    {
        EnsureNotDeleted();
        if (_members.ContainsKey(userId)) throw new DomainConflictException($"User {userId} is already a member of the group.");
        return new GroupMemberAdded(userId, OrganizationId, role);
    }

    public GroupMemberRoleChanged? ChangeMemberRole(Guid userId, string role)
    {
        EnsureMember(userId);
        return _members[userId] == role ? null : new GroupMemberRoleChanged(userId, role);
    }

    public GroupMemberRemoved RemoveMember(Guid userId)
    {
        EnsureMember(userId);
        return new GroupMemberRemoved(userId);
    }

    public bool HasMember(Guid userId) => !Deleted && _members.ContainsKey(userId);

    private void EnsureMember(Guid userId)
    {
        EnsureNotDeleted();
        if (!_members.ContainsKey(userId)) throw new DomainConflictException($"User {userId} is not a member of the group.");
    }

    private void EnsureNotDeleted()
    {
        if (Deleted) throw new DomainConflictException("The group has been deleted.");
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case GroupCreated created:
                Id = created.GroupId;
                OrganizationId = created.OrganizationId;
                Name = created.Name;
                Description = created.Description;
                MonthlyBudget = created.MonthlyBudget;
                MemberMonthlyLimit = created.MemberMonthlyLimit;
                break;
            case GroupDetailsChanged details:
                Name = details.Name;
                Description = details.Description;
                MonthlyBudget = details.MonthlyBudget;
                MemberMonthlyLimit = details.MemberMonthlyLimit;
                break;
            case GroupDeleted:
                Deleted = true;
                _members.Clear();
                break;
            case GroupMemberAdded added:
                _members[added.UserId] = added.Role;
                break;
            case GroupMemberRoleChanged role:
                _members[role.UserId] = role.Role;
                break;
            case GroupMemberRemoved removed:
                _members.Remove(removed.UserId);
                break;
            default:
                throw new InvalidOperationException($"Group cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}
