namespace Requesty.Management.Domain.Projects;

public sealed record ProjectCreated(
    Guid ProjectId, Guid OrganizationId, string Name, string Kind, Guid? OwnerUserId, decimal? MonthlyLimit) : IDomainEvent;

public sealed record ProjectRenamed(string Name) : IDomainEvent;

public sealed record ProjectMonthlyLimitChanged(decimal? MonthlyLimit) : IDomainEvent;

public sealed record ProjectDeleted : IDomainEvent;
