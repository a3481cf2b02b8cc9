using Requesty.Contracts.Management;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Spend;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Organizations;

/// <summary>
/// Write side for the caller's organisation: fold its stream, let the aggregate decide, append with that
/// version (If-Match may insist on one). Settings and credits change the organisation's prepaid block, so
/// it is re-evaluated right away instead of at the next reconciliation.
/// </summary>
public sealed class OrganizationCommands(EventStore eventStore, SpendLimitEvaluator spendLimits, ApiKeyAccess access)
{
    public async Task UpdateAsync(Caller caller, UpdateOrganizationRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var organization = await LoadAsync(caller, expectedVersion, cancellationToken);
        var change = organization.ChangeSettings(
            request.HasName ? request.Name! : organization.Name,
            request.HasDefaultModel ? request.DefaultModel : organization.DefaultModel,
            request.HasDefaultUserMonthlyLimit ? request.DefaultUserMonthlyLimit : organization.DefaultUserMonthlyLimit,
            request.HasBillingMode ? request.BillingMode! : organization.BillingMode);
        if (change is null) return;
        List<StreamAppend> appends = [new StreamAppend(organization.Id, Organization.StreamType, organization.Version, change)];
        // Every key carries the default model to the router: republish them in the same append.
        if (change.DefaultModel != organization.DefaultModel)
            appends.AddRange(await access.AppendsForDefaultModelAsync(organization.Id, change.DefaultModel, cancellationToken));
        await eventStore.AppendAsync(appends, metadata, cancellationToken);
        await ReevaluateAsync(organization.Id, cancellationToken);
    }

    public async Task AddCreditsAsync(Caller caller, AddCreditsRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var organization = await LoadAsync(caller, expectedVersion: null, cancellationToken);
        var added = organization.AddCredits(request.AmountUsd!.Value, request.Note);
        await eventStore.AppendAsync(new StreamAppend(organization.Id, Organization.StreamType, organization.Version, added), metadata, cancellationToken);
        await ReevaluateAsync(organization.Id, cancellationToken);
    }

    private Task ReevaluateAsync(Guid organizationId, CancellationToken cancellationToken) =>
        spendLimits.EvaluateAsync(organizationId, [new SpendScope(SpendScopes.Organization, organizationId)], cancellationToken);

    private async Task<Organization> LoadAsync(Caller caller, long? expectedVersion, CancellationToken cancellationToken)
    {
        var organization = Organization.FromHistory((await eventStore.ReadStreamAsync(caller.OrganizationId, cancellationToken)).Select(e => e.Data))
            ?? throw new ResourceNotFoundException("Organization", caller.OrganizationId);
        if (expectedVersion is { } expected && expected != organization.Version)
            throw new ConcurrencyException(organization.Id, expected, organization.Version);
        return organization;
    }
}
