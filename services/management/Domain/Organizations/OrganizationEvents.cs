namespace Requesty.Management.Domain.Organizations;

public sealed record OrganizationCreated(Guid OrganizationId, string Name) : IDomainEvent;
