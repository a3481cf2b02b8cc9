namespace Requesty.Management.Domain.ServiceAccounts;

/// <summary>A non-human owner of API keys: their spend is tied to no user.</summary>
public sealed class ServiceAccount
{
    public const string StreamType = "service_account";

    private ServiceAccount() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public bool Deleted { get; private set; }
    public long Version { get; private set; }

    public static ServiceAccountCreated Create(Guid id, Guid organizationId, string name, string? description) =>
        new(id, organizationId, name.Trim(), description);

    public static ServiceAccount? FromHistory(IEnumerable<IDomainEvent> history)
    {
        ServiceAccount? account = null;
        foreach (var @event in history)
        {
            account ??= new ServiceAccount();
            account.Apply(@event);
        }
        return account;
    }

    /// <summary>Only without live keys (the spec: "remove all keys first").</summary>
    public ServiceAccountDeleted Delete(int liveKeyCount)
    {
        if (Deleted) throw new DomainConflictException("The service account has been deleted.");
        if (liveKeyCount > 0)
            throw new DomainConflictException($"The service account still has {liveKeyCount} live API key(s); delete them first.");
        return new ServiceAccountDeleted();
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case ServiceAccountCreated created:
                Id = created.ServiceAccountId;
                OrganizationId = created.OrganizationId;
                Name = created.Name;
                Description = created.Description;
                break;
            case ServiceAccountDeleted:
                Deleted = true;
                break;
            default:
                throw new InvalidOperationException($"ServiceAccount cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}
