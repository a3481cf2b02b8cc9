using Requesty.Management.Domain.Projects;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Projects;

/// <summary>Write side for projects: admins create shared ones, set limits, delete shared ones without live keys.</summary>
public sealed class ProjectCommands(EventStore eventStore, ApiKeyReadModel apiKeys)
{
    public async Task<Guid> CreateAsync(Caller caller, CreateProjectRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var created = Project.CreateShared(id, caller.OrganizationId, request.Name!, request.MonthlyLimit);
        await eventStore.AppendAsync(new StreamAppend(id, Project.StreamType, 0, created), metadata, cancellationToken);
        return id;
    }

    public async Task UpdateAsync(Caller caller, Guid id, UpdateProjectRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var project = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var events = project.Update(request.Name, request.MonthlyLimitGiven, request.MonthlyLimit);
        if (events.Count > 0)
            await eventStore.AppendAsync(new StreamAppend(id, Project.StreamType, project.Version, events), metadata, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var project = await LoadAsync(caller, id, expectedVersion, cancellationToken);
        var liveKeys = await apiKeys.ListLiveKeyVersionsAsync(caller.OrganizationId, cancellationToken, projectId: id);
        await eventStore.AppendAsync(new StreamAppend(id, Project.StreamType, project.Version, project.Delete(liveKeys.Count)), metadata, cancellationToken);
    }

    private async Task<Project> LoadAsync(Caller caller, Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var project = await FoldStreamAsync(eventStore, id, Project.FromHistory, cancellationToken);
        if (project is null || project.Deleted || project.OrganizationId != caller.OrganizationId)
            throw new ResourceNotFoundException("Project", id);
        EnsureVersion(id, expectedVersion, project.Version);
        return project;
    }
}
