using Requesty.Contracts.Management;
using Requesty.Management.Domain.Policies;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Policies;

/// <summary>Policy events as the router consumes them: each carries the policy's state as of that event.</summary>
public static class PolicyIntegrationEvents
{
    public static object? Map(StoredEvent @event, IReadOnlyList<StoredEvent> streamHistory)
    {
        var policy = Policy.FromHistory(streamHistory.Where(e => e.Version <= @event.Version).OrderBy(e => e.Version).Select(e => (e.Data, e.OccurredAt)));
        if (policy is null) return null;
        return @event.Data switch
        {
            PolicyDefined => new PolicyUpserted { Policy = ToContract(policy), OccurredAt = @event.OccurredAt },
            PolicyRemoved => new Requesty.Contracts.Management.PolicyDeleted
            {
                OrganizationId = policy.OrganizationId,
                Name = policy.Name,
                ApiKeyId = policy.ApiKeyId,
                Version = policy.Version,
                OccurredAt = @event.OccurredAt,
            },
            _ => null,
        };
    }

    public static RoutingPolicy ToContract(Policy policy) => new()
    {
        OrganizationId = policy.OrganizationId,
        Name = policy.Name,
        Type = policy.Type,
        Entries = policy.Entries.Select(e => new RoutingPolicyEntry { Model = e.Model, Retries = e.Retries, Weight = e.Weight, KeySource = e.KeySource }).ToArray(),
        ApiKeyId = policy.ApiKeyId,
        Version = policy.Version,
    };
}
