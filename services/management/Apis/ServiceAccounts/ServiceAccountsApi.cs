using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.ServiceAccounts;
using Requesty.Management.Application.TimeTravel;

namespace Requesty.Management.Apis.ServiceAccounts;

/// <summary>/v1/manage/service-account: non-human owners of API keys (admins only, reads included).</summary>
public static class ServiceAccountsApi
{
    public static RouteGroupBuilder MapServiceAccountsApi(this RouteGroupBuilder manage)
    {
        var accounts = manage.MapGroup("/service-account").WithTags("Service accounts").RequireAdmin();

        accounts.MapGet("", List).Produces<ServiceAccountListResponse>()
            .WithSummary("List service accounts").WithDescription("Every service account of your organisation with its number of live API keys.");
        accounts.MapPost("", Create).Produces<ServiceAccountResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .AddEndpointFilter<ValidationFilter<CreateServiceAccountRequest>>()
            .WithSummary("Create a service account")
            .WithDescription("Then create keys for it with POST /v1/manage/apikey {\"service_account_id\": ...}; their spend is tied to no user.");
        accounts.MapGet("/{id:guid}", Get).Produces<ServiceAccountResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Get a service account").WithDescription("The account and its live key count. Answers an ETag for If-Match. " + AsOf.Description);
        accounts.MapDelete("/{id:guid}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a service account").WithDescription("Only without live API keys (409 otherwise): delete its keys first.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, ServiceAccountReadModel accounts, CancellationToken ct)
    {
        var rows = await accounts.ListAsync(http.Caller().OrganizationId, ct);
        return TypedResults.Ok(new ServiceAccountListResponse(rows.Select(ServiceAccountResponse.From).ToArray()));
    }

    private static async Task<IResult> Create(
        CreateServiceAccountRequest request, HttpContext http, ServiceAccountCommands commands, ServiceAccountReadModel accounts, CancellationToken ct)
    {
        var caller = http.Caller();
        var id = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.Created($"/v1/manage/service-account/{id}", await FindAsync(caller, id, http, accounts, ct));
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, ServiceAccountReadModel accounts, IdentityTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        if (asOf is not { } at) return TypedResults.Ok(await FindAsync(http.Caller(), id, http, accounts, ct));
        var row = await travel.FindServiceAccountAsync(http.Caller().OrganizationId, id, at, ct)
            ?? throw new ResourceNotFoundException("Service account", id);
        return TypedResults.Ok(ServiceAccountResponse.From(row));
    }

    private static async Task<IResult> Delete(Guid id, HttpContext http, ServiceAccountCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.DeleteAsync(caller, id, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    private static async Task<ServiceAccountResponse> FindAsync(Caller caller, Guid id, HttpContext http, ServiceAccountReadModel accounts, CancellationToken ct)
    {
        var row = await accounts.FindAsync(caller.OrganizationId, id, ct) ?? throw new ResourceNotFoundException("Service account", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return ServiceAccountResponse.From(row);
    }
}
