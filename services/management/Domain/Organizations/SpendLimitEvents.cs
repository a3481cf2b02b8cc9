namespace Requesty.Management.Domain.Organizations;

/// <summary>
/// A scope's (api_key, user, project, group, organization) spend reached its limit for a month. Stored on
/// the scope's own "spend_limit" stream (see SpendLimitStream), published as SpendLimitReached.
/// </summary>
public sealed record SpendLimitHit(Guid OrganizationId, string Scope, Guid ScopeId, DateTime Month, decimal SpendUsd, decimal LimitUsd) : IDomainEvent;

/// <summary>The block of <see cref="Month"/> no longer holds (limit raised or removed, credits added, month over).</summary>
public sealed record SpendLimitLifted(Guid OrganizationId, string Scope, Guid ScopeId, DateTime Month, decimal SpendUsd, decimal? LimitUsd) : IDomainEvent;
