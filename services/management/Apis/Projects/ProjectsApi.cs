using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.Projects;
using Requesty.Management.Application.TimeTravel;
using Requesty.Management.Domain.Projects;

namespace Requesty.Management.Apis.Projects;

/// <summary>
/// /v1/manage/project: spend contexts of API keys. Every user has a private project; admins create shared
/// ones and set project monthly limits. Members read their private project and the shared ones.
/// </summary>
public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder manage)
    {
        var projects = manage.MapGroup("/project").WithTags("Projects");

        projects.MapGet("", List).Produces<ProjectListResponse>()
            .WithSummary("List projects").WithDescription("Admins see every project; a member sees their private project and the shared ones.");
        projects.MapPost("", Create).Produces<ProjectResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .AddEndpointFilter<ValidationFilter<CreateProjectRequest>>()
            .WithSummary("Create a shared project").WithDescription("Admins only. monthly_limit in USD per calendar month (UTC); null = unlimited.");
        projects.MapGet("/{id:guid}", Get).Produces<ProjectResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Get a project").WithDescription("Answers an ETag for If-Match. " + AsOf.Description);
        projects.MapPatch("/{id:guid}", Update).Produces<ProjectResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateProjectRequest>>()
            .WithSummary("Update a project").WithDescription("name (shared projects only) and/or monthly_limit (null removes the limit).");
        projects.MapDelete("/{id:guid}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a shared project").WithDescription("Refused (409) for private projects and while the project has live API keys.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, ProjectReadModel projects, CancellationToken ct)
    {
        var caller = http.Caller();
        var rows = await projects.ListAsync(caller.OrganizationId, caller.UserId, restrict: !caller.IsAdmin, ct);
        return TypedResults.Ok(new ProjectListResponse(rows.Select(ProjectResponse.From).ToArray()));
    }

    private static async Task<IResult> Create(CreateProjectRequest request, HttpContext http, ProjectCommands commands, ProjectReadModel projects, CancellationToken ct)
    {
        var caller = http.Caller();
        var id = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.Created($"/v1/manage/project/{id}", await FindAsync(caller, id, http, projects, ct));
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, ProjectReadModel projects, IdentityTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        if (asOf is not { } at) return TypedResults.Ok(await FindAsync(http.Caller(), id, http, projects, ct));
        var caller = http.Caller();
        var row = await travel.FindProjectAsync(caller.OrganizationId, id, at, ct);
        if (row is null || !MaySee(caller, row)) throw new ResourceNotFoundException("Project", id);
        return TypedResults.Ok(ProjectResponse.From(row));
    }

    private static bool MaySee(Caller caller, ProjectRow row) =>
        caller.IsAdmin || row.Kind != Project.Private || row.OwnerUserId == caller.UserId;

    private static async Task<IResult> Update(
        Guid id, UpdateProjectRequest request, HttpContext http, ProjectCommands commands, ProjectReadModel projects, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.UpdateAsync(caller, id, request, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.Ok(await FindAsync(caller, id, http, projects, ct));
    }

    private static async Task<IResult> Delete(Guid id, HttpContext http, ProjectCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.DeleteAsync(caller, id, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    private static async Task<ProjectResponse> FindAsync(Caller caller, Guid id, HttpContext http, ProjectReadModel projects, CancellationToken ct)
    {
        var row = await projects.FindAsync(caller.OrganizationId, id, ct);
        if (row is null || !MaySee(caller, row))
            throw new ResourceNotFoundException("Project", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return ProjectResponse.From(row);
    }
}
