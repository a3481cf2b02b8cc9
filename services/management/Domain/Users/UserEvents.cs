namespace Requesty.Management.Domain.Users;

/// <summary>A user joined the organisation; their private project is created in the same append.</summary>
public sealed record UserCreated(
    Guid UserId, Guid OrganizationId, string Email, string Role, decimal? MonthlyLimit, Guid PrivateProjectId) : IDomainEvent;

public sealed record UserRoleChanged(string Role) : IDomainEvent;

public sealed record UserMonthlyLimitChanged(decimal? MonthlyLimit) : IDomainEvent;

public sealed record UserDeleted : IDomainEvent;
