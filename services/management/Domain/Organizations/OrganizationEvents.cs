namespace Requesty.Management.Domain.Organizations;

public sealed record OrganizationCreated(Guid OrganizationId, string Name) : IDomainEvent;

/// <summary>The organisation's settings after the change (all of them, so a replay needs no other state).</summary>
public sealed record OrganizationSettingsChanged(string Name, string? DefaultModel, decimal? DefaultUserMonthlyLimit, string BillingMode) : IDomainEvent;

/// <summary>Prepaid credit bought or granted; the balance is all credits minus all spend.</summary>
public sealed record OrganizationCreditsAdded(decimal AmountUsd, string? Note) : IDomainEvent;
