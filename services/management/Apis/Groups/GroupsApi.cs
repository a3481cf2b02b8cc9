using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.Groups;
using Requesty.Management.Application.TimeTravel;

namespace Requesty.Management.Apis.Groups;

/// <summary>/v1/manage/group and /v1/manage/group/{id}/member: groups of users and their members. Writes are admin-only.</summary>
public static class GroupsApi
{
    public static RouteGroupBuilder MapGroupsApi(this RouteGroupBuilder manage)
    {
        var groups = manage.MapGroup("/group").WithTags("Groups");

        groups.MapGet("", List).Produces<GroupListResponse>()
            .WithSummary("List groups").WithDescription("All groups in your organisation (a member sees the groups they belong to).");
        groups.MapPost("", Create).Produces<GroupDetailsResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .AddEndpointFilter<ValidationFilter<CreateGroupRequest>>()
            .WithSummary("Create group").WithDescription("Create a new group in your organisation.");
        groups.MapGet("/{id:guid}", Get).Produces<GroupDetailsResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Get group")
            .WithDescription("Detailed information about a group including its members. Answers an ETag for If-Match. " + AsOf.Description +
                " With as_of, the members are those of that instant.");
        groups.MapPatch("/{id:guid}", Update).Produces<GroupDetailsResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateGroupRequest>>()
            .WithSummary("Update group")
            .WithDescription("name, description, monthly_budget and/or member_monthly_limit (USD per member per month); fields left out stay as they are, null clears.");
        groups.MapDelete("/{id:guid}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete group").WithDescription("Delete a group from your organisation (its members stay users).");

        var members = groups.MapGroup("/{id:guid}/member");
        members.MapPost("", AddMember).Produces<GroupDetailsResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<AddGroupMemberRequest>>()
            .WithSummary("Add group member").WithDescription("Add a member to a group with the given role (default \"member\"); 409 if already a member.");
        members.MapMethods("/{userId:guid}", [HttpMethods.Put, HttpMethods.Patch], UpdateMember)
            .Produces<GroupDetailsResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateGroupMemberRequest>>()
            .WithSummary("Update group member").WithDescription("Update the role of a member in a group.");
        members.MapDelete("/{userId:guid}", RemoveMember).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Remove group member").WithDescription("Remove a member from a group.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, GroupReadModel groups, CancellationToken ct)
    {
        var caller = http.Caller();
        var rows = await groups.ListAsync(caller.OrganizationId, caller.IsAdmin ? null : caller.UserId ?? Guid.Empty, ct);
        return TypedResults.Ok(new GroupListResponse(rows.Select(GroupResponse.From).ToArray()));
    }

    private static async Task<IResult> Create(CreateGroupRequest request, HttpContext http, GroupCommands commands, GroupReadModel groups, CancellationToken ct)
    {
        var caller = http.Caller();
        var id = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.Created($"/v1/manage/group/{id}", await DetailsAsync(caller, id, http, groups, ct));
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, GroupReadModel groups, IdentityTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        if (asOf is not { } at) return TypedResults.Ok(await DetailsAsync(http.Caller(), id, http, groups, ct));
        var caller = http.Caller();
        var past = await travel.FindGroupAsync(caller.OrganizationId, id, at, ct);
        if (past is not { } found || (!caller.IsAdmin && !found.Members.Any(m => m.UserId == caller.UserId)))
            throw new ResourceNotFoundException("Group", id);
        return TypedResults.Ok(GroupDetailsResponse.From(found.Row, found.Members));
    }

    private static Task<IResult> Update(Guid id, UpdateGroupRequest request, HttpContext http, GroupCommands commands, GroupReadModel groups, CancellationToken ct) =>
        WriteAsync(id, http, groups, ct, (caller, version, metadata) => commands.UpdateAsync(caller, id, request, version, metadata, ct));

    private static async Task<IResult> Delete(Guid id, HttpContext http, GroupCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.DeleteAsync(caller, id, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddMember(
        Guid id, AddGroupMemberRequest request, HttpContext http, GroupCommands commands, GroupReadModel groups, CancellationToken ct)
    {
        var result = await WriteAsync(id, http, groups, ct, (caller, version, metadata) => commands.AddMemberAsync(caller, id, request, version, metadata, ct));
        return result is Microsoft.AspNetCore.Http.HttpResults.Ok<GroupDetailsResponse> ok
            ? TypedResults.Created($"/v1/manage/group/{id}/member/{request.UserId}", ok.Value)
            : result;
    }

    private static Task<IResult> UpdateMember(
        Guid id, Guid userId, UpdateGroupMemberRequest request, HttpContext http, GroupCommands commands, GroupReadModel groups, CancellationToken ct) =>
        WriteAsync(id, http, groups, ct, (caller, version, metadata) => commands.ChangeMemberRoleAsync(caller, id, userId, request.Role!, version, metadata, ct));

    private static async Task<IResult> RemoveMember(Guid id, Guid userId, HttpContext http, GroupCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.RemoveMemberAsync(caller, id, userId, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Honour If-Match, run the command, answer the group as it is now.</summary>
    private static async Task<IResult> WriteAsync(
        Guid id, HttpContext http, GroupReadModel groups, CancellationToken ct,
        Func<Caller, long?, Infrastructure.EventSourcing.EventMetadata, Task> command)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await command(caller, expectedVersion, caller.Metadata(http.TraceIdentifier));
        return TypedResults.Ok(await DetailsAsync(caller, id, http, groups, ct));
    }

    private static async Task<GroupDetailsResponse> DetailsAsync(Caller caller, Guid id, HttpContext http, GroupReadModel groups, CancellationToken ct)
    {
        var row = await groups.FindAsync(caller.OrganizationId, id, ct) ?? throw new ResourceNotFoundException("Group", id);
        var members = await groups.MembersAsync(id, ct);
        if (!caller.IsAdmin && !members.Any(m => m.UserId == caller.UserId)) throw new ResourceNotFoundException("Group", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return GroupDetailsResponse.From(row, members);
    }
}
