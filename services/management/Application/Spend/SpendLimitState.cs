using Requesty.Management.Domain;
using Requesty.Management.Domain.Organizations;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// A scope's spend against its limit as of now, and whether it is blocked. Spend and limit are the month's,
/// except for the organisation scope: lifetime spend against all credits, and only when billing is prepaid.
/// </summary>
public sealed record SpendLimitState(Guid OrganizationId, SpendScope Scope, decimal SpendUsd, decimal? LimitUsd, DateTime? BlockedMonth, long Version)
{
    public bool LimitReached => LimitUsd is { } limit && SpendUsd >= limit;

    /// <summary>The event that brings the block in line with spend and limit for <paramref name="month"/>; null when it already is.</summary>
    public IDomainEvent? Decide(DateTime month)
    {
        if (LimitReached)
            return BlockedMonth == month ? null : new SpendLimitHit(OrganizationId, Scope.Scope, Scope.ScopeId, month, SpendUsd, LimitUsd!.Value);
        return BlockedMonth is { } blocked
            ? new SpendLimitLifted(OrganizationId, Scope.Scope, Scope.ScopeId, blocked, SpendUsd, LimitUsd)
            : null;
    }
}
