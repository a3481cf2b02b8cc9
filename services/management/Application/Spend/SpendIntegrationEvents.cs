using Requesty.Contracts.Management;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Spend;

/// <summary>Stored block changes as the router consumes them (version = the scope stream's version).</summary>
public static class SpendIntegrationEvents
{
    public static object? Map(StoredEvent @event) => @event.Data switch
    {
        SpendLimitHit hit => new SpendLimitReached
        {
            OrganizationId = hit.OrganizationId, Scope = hit.Scope, ScopeId = hit.ScopeId, Month = Utc(hit.Month),
            SpendUsd = hit.SpendUsd, LimitUsd = hit.LimitUsd, OccurredAt = @event.OccurredAt, Version = @event.Version,
        },
        SpendLimitLifted lifted => new SpendLimitCleared
        {
            OrganizationId = lifted.OrganizationId, Scope = lifted.Scope, ScopeId = lifted.ScopeId, Month = Utc(lifted.Month),
            SpendUsd = lifted.SpendUsd, LimitUsd = lifted.LimitUsd, OccurredAt = @event.OccurredAt, Version = @event.Version,
        },
        _ => null,
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
