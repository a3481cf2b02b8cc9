namespace Requesty.Management.Domain.Policies;

public sealed record PolicyEntry(string Model, int Retries, decimal Weight, string KeySource);

/// <summary>The policy was created, replaced, or re-created after a removal; carries its whole definition.</summary>
public sealed record PolicyDefined(
    Guid PolicyId,
    Guid OrganizationId,
    string Name,
    string Type,
    IReadOnlyList<PolicyEntry> Entries,
    Guid? ApiKeyId,
    Guid? DefinedBy) : IDomainEvent;

public sealed record PolicyRemoved : IDomainEvent;
