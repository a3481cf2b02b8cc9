namespace Requesty.Management.Domain.ServiceAccounts;

public sealed record ServiceAccountCreated(Guid ServiceAccountId, Guid OrganizationId, string Name, string? Description) : IDomainEvent;

public sealed record ServiceAccountDeleted : IDomainEvent;
