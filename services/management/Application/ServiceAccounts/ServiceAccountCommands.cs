using Requesty.Management.Domain.ServiceAccounts;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.ServiceAccounts;

/// <summary>Write side for service accounts: create, and delete once no live key belongs to the account.</summary>
public sealed class ServiceAccountCommands(EventStore eventStore, ApiKeyReadModel apiKeys)
{
    public async Task<Guid> CreateAsync(Caller caller, CreateServiceAccountRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var created = ServiceAccount.Create(id, caller.OrganizationId, request.Name!, request.Description);
        await eventStore.AppendAsync(new StreamAppend(id, ServiceAccount.StreamType, 0, created), metadata, cancellationToken);
        return id;
    }

    public async Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var account = await FoldStreamAsync(eventStore, id, ServiceAccount.FromHistory, cancellationToken);
        if (account is null || account.Deleted || account.OrganizationId != caller.OrganizationId)
            throw new ResourceNotFoundException("Service account", id);
        EnsureVersion(id, expectedVersion, account.Version);
        var liveKeys = await apiKeys.ListLiveKeyVersionsAsync(caller.OrganizationId, cancellationToken, serviceAccountId: id);
        await eventStore.AppendAsync(new StreamAppend(id, ServiceAccount.StreamType, account.Version, account.Delete(liveKeys.Count)), metadata, cancellationToken);
    }
}
