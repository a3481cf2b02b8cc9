namespace Requesty.Management.Domain.Users;

/// <summary>An organisation member (RBAC role, monthly limit, private project), folded from its stream.</summary>
public sealed class User
{
    public const string StreamType = "user";

    private User() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Email { get; private set; } = "";
    public string Role { get; private set; } = UserRoles.Member;
    public decimal? MonthlyLimit { get; private set; }
    public Guid PrivateProjectId { get; private set; }
    public bool Deleted { get; private set; }
    public long Version { get; private set; }

    public static UserCreated Create(Guid id, Guid organizationId, string email, string role, decimal? monthlyLimit, Guid privateProjectId) =>
        new(id, organizationId, email.Trim(), role, monthlyLimit, privateProjectId);

    public static User? FromHistory(IEnumerable<IDomainEvent> history)
    {
        User? user = null;
        foreach (var @event in history)
        {
            user ??= new User();
            user.Apply(@event);
        }
        return user;
    }

    /// <summary>The events a PATCH produces; empty when nothing changes.</summary>
    public IReadOnlyList<IDomainEvent> Update(string? role, bool limitGiven, decimal? monthlyLimit)
    {
        EnsureNotDeleted();
        var events = new List<IDomainEvent>();
        if (role is not null && role != Role) events.Add(new UserRoleChanged(role));
        if (limitGiven && monthlyLimit != MonthlyLimit) events.Add(new UserMonthlyLimitChanged(monthlyLimit));
        return events;
    }

    public UserDeleted Delete(int liveKeyCount)
    {
        EnsureNotDeleted();
        if (liveKeyCount > 0)
            throw new DomainConflictException($"The user still has {liveKeyCount} live API key(s); delete them first.");
        return new UserDeleted();
    }

    private void EnsureNotDeleted()
    {
        if (Deleted) throw new DomainConflictException("The user has been deleted.");
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case UserCreated created:
                Id = created.UserId;
                OrganizationId = created.OrganizationId;
                Email = created.Email;
                Role = created.Role;
                MonthlyLimit = created.MonthlyLimit;
                PrivateProjectId = created.PrivateProjectId;
                break;
            case UserRoleChanged role:
                Role = role.Role;
                break;
            case UserMonthlyLimitChanged limit:
                MonthlyLimit = limit.MonthlyLimit;
                break;
            case UserDeleted:
                Deleted = true;
                break;
            default:
                throw new InvalidOperationException($"User cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}
