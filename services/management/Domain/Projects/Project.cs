namespace Requesty.Management.Domain.Projects;

/// <summary>
/// A spend context API keys belong to: every user has a "private" project (owned by them, created and
/// deleted with the user); admins create "shared" ones.
/// </summary>
public sealed class Project
{
    public const string StreamType = "project";
    public const string Private = "private";
    public const string Shared = "shared";

    private Project() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public string Kind { get; private set; } = Shared;
    public Guid? OwnerUserId { get; private set; }
    public decimal? MonthlyLimit { get; private set; }
    public bool Deleted { get; private set; }
    public long Version { get; private set; }

    public static ProjectCreated CreatePrivate(Guid id, Guid organizationId, Guid ownerUserId, string ownerEmail, decimal? monthlyLimit) =>
        new(id, organizationId, $"Private ({ownerEmail.Trim()})", Private, ownerUserId, monthlyLimit);

    public static ProjectCreated CreateShared(Guid id, Guid organizationId, string name, decimal? monthlyLimit) =>
        new(id, organizationId, name.Trim(), Shared, null, monthlyLimit);

    public static Project? FromHistory(IEnumerable<IDomainEvent> history)
    {
        Project? project = null;
        foreach (var @event in history)
        {
            project ??= new Project();
            project.Apply(@event);
        }
        return project;
    }

    public IReadOnlyList<IDomainEvent> Update(string? name, bool limitGiven, decimal? monthlyLimit)
    {
        EnsureNotDeleted();
        var events = new List<IDomainEvent>();
        if (name is not null && name.Trim() != Name)
        {
            if (Kind == Private) throw new DomainConflictException("A private project is named after its owner and cannot be renamed.");
            events.Add(new ProjectRenamed(name.Trim()));
        }
        if (limitGiven && monthlyLimit != MonthlyLimit) events.Add(new ProjectMonthlyLimitChanged(monthlyLimit));
        return events;
    }

    /// <summary>Deleting a shared project; private ones go with their user (<see cref="DeleteWithOwner"/>).</summary>
    public ProjectDeleted Delete(int liveKeyCount)
    {
        EnsureNotDeleted();
        if (Kind == Private)
            throw new DomainConflictException("A private project is deleted together with its user.");
        if (liveKeyCount > 0)
            throw new DomainConflictException($"The project still has {liveKeyCount} live API key(s); delete or move them first.");
        return new ProjectDeleted();
    }

    public ProjectDeleted DeleteWithOwner()
    {
        EnsureNotDeleted();
        return new ProjectDeleted();
    }

    private void EnsureNotDeleted()
    {
        if (Deleted) throw new DomainConflictException("The project has been deleted.");
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case ProjectCreated created:
                Id = created.ProjectId;
                OrganizationId = created.OrganizationId;
                Name = created.Name;
                Kind = created.Kind;
                OwnerUserId = created.OwnerUserId;
                MonthlyLimit = created.MonthlyLimit;
                break;
            case ProjectRenamed renamed:
                Name = renamed.Name;
                break;
            case ProjectMonthlyLimitChanged limit:
                MonthlyLimit = limit.MonthlyLimit;
                break;
            case ProjectDeleted:
                Deleted = true;
                break;
            default:
                throw new InvalidOperationException($"Project cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}
