using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>The organisation as management.organizations would have shown it at a past instant.</summary>
public static class OrganizationTimeTravel
{
    /// <summary>Null when the organisation did not exist yet at <paramref name="asOf"/>.</summary>
    public static Task<OrganizationRow?> FindOrganizationAsync(
        this StreamTimeTravel travel, Guid organizationId, DateTime asOf, CancellationToken cancellationToken) =>
        travel.StateAtAsync(organizationId, asOf, Fold, cancellationToken);

    public static OrganizationRow? Fold(IReadOnlyList<StoredEvent> history)
    {
        if (history.Count == 0 || history[0].Data is not OrganizationCreated) return null;
        var organization = Organization.FromHistory(history.Select(e => e.Data))!;
        return new OrganizationRow(organization.Id, organization.Name, history[0].OccurredAt, organization.Version,
            organization.DefaultModel, organization.DefaultUserMonthlyLimit, organization.BillingMode, organization.CreditsUsd);
    }
}
