namespace Requesty.Management.Infrastructure.ReadModels;

public sealed record OrganizationRow(Guid Id, string Name, DateTime CreatedAt, long Version);
