namespace Requesty.Management.Domain.Groups;

public sealed record GroupCreated(
    Guid GroupId, Guid OrganizationId, string Name, string? Description, decimal? MonthlyBudget, decimal? MemberMonthlyLimit = null) : IDomainEvent;

/// <summary>The group's new name, description, budget and per-member limit (a PATCH folds the unchanged ones in).</summary>
public sealed record GroupDetailsChanged(string Name, string? Description, decimal? MonthlyBudget, decimal? MemberMonthlyLimit = null) : IDomainEvent;

public sealed record GroupDeleted : IDomainEvent;

public sealed record GroupMemberAdded(Guid UserId, Guid OrganizationId, string Role) : IDomainEvent;

public sealed record GroupMemberRoleChanged(Guid UserId, string Role) : IDomainEvent;

public sealed record GroupMemberRemoved(Guid UserId) : IDomainEvent;
