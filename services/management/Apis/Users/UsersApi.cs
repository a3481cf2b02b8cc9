using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.TimeTravel;
using Requesty.Management.Application.Users;

namespace Requesty.Management.Apis.Users;

/// <summary>/v1/manage/user: organisation members, their role, monthly limit and groups. Writes are admin-only.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder manage)
    {
        var users = manage.MapGroup("/user").WithTags("Users");

        users.MapGet("", List).Produces<UserListResponse>()
            .WithSummary("List users").WithDescription("Every user of your organisation (a member sees only themselves).");
        users.MapPost("", Create).Produces<UserDetailsResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<CreateUserRequest>>()
            .WithSummary("Create a user")
            .WithDescription("Creates the user and their private project. monthly_limit omitted = the organisation's default for new users; null = no limit. " +
                "The user is \"inactive\" until they get an API key.");
        users.MapGet("/{id:guid}", Get).Produces<UserDetailsResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a user").ProducesValidationProblem()
            .WithDescription("The user and the groups they belong to. Answers an ETag for If-Match. " + AsOf.Description);
        users.MapPatch("/{id:guid}", Update).Produces<UserDetailsResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateUserRequest>>()
            .WithSummary("Update a user").WithDescription("role and/or monthly_limit (null removes the limit); fields left out stay as they are.");
        users.MapDelete("/{id:guid}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a user").WithDescription("Refused (409) while the user still has live API keys; removes them from every group and deletes their private project.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, UserReadModel users, CancellationToken ct)
    {
        var caller = http.Caller();
        var rows = await users.ListAsync(caller.OrganizationId, caller.IsAdmin ? null : caller.UserId ?? Guid.Empty, ct);
        return TypedResults.Ok(new UserListResponse(rows.Select(UserResponse.From).ToArray()));
    }

    private static async Task<IResult> Create(CreateUserRequest request, HttpContext http, UserCommands commands, UserReadModel users, CancellationToken ct)
    {
        var caller = http.Caller();
        var id = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        var details = await DetailsAsync(caller, id, http, users, ct);
        return TypedResults.Created($"/v1/manage/user/{id}", details);
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, UserReadModel users, IdentityTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        if (asOf is not { } at) return TypedResults.Ok(await DetailsAsync(http.Caller(), id, http, users, ct));
        var caller = http.Caller();
        var past = await travel.FindUserAsync(caller.OrganizationId, id, at, ct);
        if (past is not { } found || !caller.MaySee(found.Row.Id)) throw new ResourceNotFoundException("User", id);
        return TypedResults.Ok(UserDetailsResponse.From(found.Row, found.Groups));
    }

    private static async Task<IResult> Update(
        Guid id, UpdateUserRequest request, HttpContext http, UserCommands commands, UserReadModel users, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.UpdateAsync(caller, id, request, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.Ok(await DetailsAsync(caller, id, http, users, ct));
    }

    private static async Task<IResult> Delete(Guid id, HttpContext http, UserCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.DeleteAsync(caller, id, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    private static async Task<UserDetailsResponse> DetailsAsync(Caller caller, Guid id, HttpContext http, UserReadModel users, CancellationToken ct)
    {
        var row = await users.FindAsync(caller.OrganizationId, id, ct);
        if (row is null || !caller.MaySee(row.Id)) throw new ResourceNotFoundException("User", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return UserDetailsResponse.From(row, await users.GroupsOfAsync(id, ct));
    }
}
