using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application.Policies;
using Requesty.Management.Application.TimeTravel;

namespace Requesty.Management.Apis.Policies;

/// <summary>/v1/manage/policies: routing policies used as model "policy/&lt;name&gt;" (fallback, load balancing, latency).</summary>
public static class PoliciesApi
{
    public static RouteGroupBuilder MapPoliciesApi(this RouteGroupBuilder manage)
    {
        var policies = manage.MapGroup("/policies").WithTags("Routing policies");

        policies.MapGet("", List).Produces<PolicyListResponse>()
            .WithSummary("List routing policies");
        policies.MapPost("", Create).Produces<PolicyResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<PolicyRequest>>()
            .WithSummary("Create a routing policy")
            .WithDescription("Entries are models or other policies ('policy/<name>'); a definition that would create a cycle is refused with the cycle named.");
        policies.MapGet("/{name}", Get).Produces<PolicyResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Get a routing policy").WithDescription(AsOf.Description + " Answers an ETag for If-Match.");
        policies.MapPut("/{name}", Put).Produces<PolicyResponse>().Produces<PolicyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<PolicyRequest>>()
            .WithSummary("Create or replace a routing policy").WithDescription("The router applies the change within about a second.");
        policies.MapDelete("/{name}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a routing policy").WithDescription("Refused (409) while another policy refers to it.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, PolicyReadModel policies, CancellationToken ct)
    {
        var list = await policies.ListAsync(http.Caller().OrganizationId, ct);
        return TypedResults.Ok(new PolicyListResponse(list.Select(PolicyResponse.From).ToArray()));
    }

    private static async Task<IResult> Get(
        string name, HttpContext http, PolicyReadModel policies, StreamTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        var policy = asOf is { } at
            ? await travel.FindPolicyAsync(http.Caller().OrganizationId, name, at, ct)
            : await policies.FindAsync(http.Caller().OrganizationId, name, ct);
        if (policy is null or { Removed: true }) return NotFound(name);
        if (asOf is null) http.Response.Headers.ETag = IfMatch.ETag(policy.Version);
        return TypedResults.Ok(PolicyResponse.From(policy));
    }

    private static async Task<IResult> Create(PolicyRequest request, HttpContext http, PolicyCommands commands, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Name))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["name is required."] }, title: "The request is invalid.");
        var caller = http.Caller();
        try
        {
            var policy = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
            http.Response.Headers.ETag = IfMatch.ETag(policy.Version);
            return TypedResults.Created($"/v1/manage/policies/{policy.Name}", PolicyResponse.From(policy));
        }
        catch (PolicyDefinitionException invalid)
        {
            return Invalid(invalid);
        }
    }

    private static async Task<IResult> Put(string name, PolicyRequest request, HttpContext http, PolicyCommands commands, CancellationToken ct)
    {
        if (!PolicyRules.NamePattern().IsMatch(name))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [PolicyRules.NameMessage] }, title: "The request is invalid.");
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        try
        {
            var (policy, created) = await commands.PutAsync(caller, name, request, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
            http.Response.Headers.ETag = IfMatch.ETag(policy.Version);
            return created
                ? TypedResults.Created($"/v1/manage/policies/{policy.Name}", PolicyResponse.From(policy))
                : TypedResults.Ok(PolicyResponse.From(policy));
        }
        catch (PolicyDefinitionException invalid)
        {
            return Invalid(invalid);
        }
    }

    private static async Task<IResult> Delete(string name, HttpContext http, PolicyCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        return await commands.DeleteAsync(caller, name, expectedVersion, caller.Metadata(http.TraceIdentifier), ct)
            ? TypedResults.NoContent()
            : NotFound(name);
    }

    private static IResult NotFound(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No policy named '{name}' exists in your organisation.");

    private static IResult Invalid(PolicyDefinitionException invalid) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }, title: "The request is invalid.");
}
