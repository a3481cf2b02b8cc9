using Requesty.Management.Domain.Policies;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>A routing policy as it was at a past instant.</summary>
public static class PolicyTimeTravel
{
    /// <summary>The policy named <paramref name="name"/> at <paramref name="asOf"/>; null if it did not exist then (or was deleted).</summary>
    public static async Task<Policy?> FindPolicyAsync(
        this StreamTimeTravel travel, Guid organizationId, string name, DateTime asOf, CancellationToken cancellationToken)
    {
        var policy = await travel.StateAtAsync(Policy.StreamIdFor(organizationId, name), asOf,
            history => Policy.FromHistory(history.Select(e => (e.Data, e.OccurredAt))), cancellationToken);
        return policy is { Removed: false } && policy.OrganizationId == organizationId ? policy : null;
    }
}
