using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.Organizations;
using Requesty.Management.Application.Spend;
using Requesty.Management.Application.TimeTravel;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Apis;

/// <summary>/v1/manage/org: the caller's organisation, its settings and prepaid credits.</summary>
public static class OrganizationApi
{
    public static RouteGroupBuilder MapOrganizationApi(this RouteGroupBuilder manage)
    {
        manage.MapGet("/org", Get).WithTags("Organization").Produces<OrganizationResponse>()
            .WithSummary("Get your organisation")
            .ProducesValidationProblem()
            .WithDescription("Name, settings, balance (credits minus all spend) and this month's spend. Answers an ETag for If-Match. " + AsOf.Description);
        manage.MapPatch("/org", Update).WithTags("Organization").Produces<OrganizationResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Update your organisation")
            .WithDescription("Any of name, default_model, default_user_monthly_limit, billing_mode (\"prepaid\" or \"postpaid\"); absent fields keep their value.");
        manage.MapPost("/org/credits", AddCredits).WithTags("Organization").Produces<OrganizationResponse>().ProducesValidationProblem()
            .WithSummary("Add credits")
            .WithDescription("{\"amount_usd\": > 0, \"note\"?}: tops up the balance; a prepaid organisation blocked at zero is accepted again.");
        return manage;
    }

    private static async Task<IResult> Get(
        HttpContext http, OrganizationReadModel organizations, SpendLedger spend, StreamTimeTravel travel, TimeProvider time, CancellationToken ct)
    {
        if (!AsOf.TryRead(http.Request, time.GetUtcNow().UtcDateTime, out var asOf, out var invalidAsOf)) return invalidAsOf;
        return asOf is { } at
            ? await RespondAsOf(http.Caller().OrganizationId, at, travel, spend, ct)
            : await Respond(http, http.Caller().OrganizationId, organizations, spend, time, ct);
    }

    /// <summary>
    /// Settings and credits as they were at <paramref name="asOf"/> (folded from the log). Spend is not event-sourced:
    /// spend_this_month is the spend of as_of's month, and the balance is those credits minus all spend recorded so far.
    /// </summary>
    private static async Task<IResult> RespondAsOf(Guid organizationId, DateTime asOf, StreamTimeTravel travel, SpendLedger spend, CancellationToken ct)
    {
        var organization = await travel.FindOrganizationAsync(organizationId, asOf, ct) ?? throw new ResourceNotFoundException("Organization", organizationId);
        var spendThatMonth = await spend.OrganizationMonthSpendAsync(organizationId, asOf, ct);
        var lifetimeSpend = await spend.OrganizationLifetimeSpendAsync(organizationId, ct);
        return TypedResults.Ok(new OrganizationResponse(
            organization.Id, organization.Name, organization.CreditsUsd - lifetimeSpend, organization.BillingMode,
            organization.DefaultModel, organization.DefaultUserMonthlyLimit, spendThatMonth, organization.CreatedAt));
    }

    private static async Task<IResult> Update(
        HttpContext http, OrganizationCommands commands, OrganizationReadModel organizations, SpendLedger spend, TimeProvider time, CancellationToken ct)
    {
        // Admin-only: ManagementAuthFilter lets only admins write unless an endpoint opts in (RoleRequirements).
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        if (await ReadObjectAsync(http, ct) is not { } body) return BodyRequired();

        var errors = new Dictionary<string, string[]>();
        var request = new UpdateOrganizationRequest(
            String(body, "name", errors), body.ContainsKey("name"),
            String(body, "default_model", errors), body.ContainsKey("default_model"),
            Decimal(body, "default_user_monthly_limit", errors), body.ContainsKey("default_user_monthly_limit"),
            String(body, "billing_mode", errors), body.ContainsKey("billing_mode"));
        foreach (var (field, messages) in OrganizationValidators.Check(request)) errors.TryAdd(field, messages);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The request is invalid.");

        var caller = http.Caller();
        await commands.UpdateAsync(caller, request, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return await Respond(http, caller.OrganizationId, organizations, spend, time, ct);
    }

    private static async Task<IResult> AddCredits(
        HttpContext http, OrganizationCommands commands, OrganizationReadModel organizations, SpendLedger spend, TimeProvider time, CancellationToken ct)
    {
        if (await ReadObjectAsync(http, ct) is not { } body) return BodyRequired();
        var errors = new Dictionary<string, string[]>();
        var request = new AddCreditsRequest(Decimal(body, "amount_usd", errors), String(body, "note", errors));
        foreach (var (field, messages) in OrganizationValidators.Check(request)) errors.TryAdd(field, messages);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The request is invalid.");

        var caller = http.Caller();
        await commands.AddCreditsAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        return await Respond(http, caller.OrganizationId, organizations, spend, time, ct);
    }

    private static async Task<IResult> Respond(
        HttpContext http, Guid organizationId, OrganizationReadModel organizations, SpendLedger spend, TimeProvider time, CancellationToken ct)
    {
        var organization = await organizations.FindAsync(organizationId, ct) ?? throw new ResourceNotFoundException("Organization", organizationId);
        var spendThisMonth = await spend.OrganizationMonthSpendAsync(organizationId, time.GetUtcNow().UtcDateTime, ct);
        var lifetimeSpend = await spend.OrganizationLifetimeSpendAsync(organizationId, ct);
        http.Response.Headers.ETag = IfMatch.ETag(organization.Version);
        return TypedResults.Ok(new OrganizationResponse(
            organization.Id, organization.Name, organization.CreditsUsd - lifetimeSpend, organization.BillingMode,
            organization.DefaultModel, organization.DefaultUserMonthlyLimit, spendThisMonth, organization.CreatedAt));
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult BodyRequired() =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON object request body is required."] });

    private static string? String(JsonObject body, string field, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue value && value.TryGetValue<string>(out var text)) return text;
        errors[field] = [$"{field} must be a string or null."];
        return null;
    }

    private static decimal? Decimal(JsonObject body, string field, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<decimal>(out var number)) return number;
        errors[field] = [$"{field} must be a number or null."];
        return null;
    }
}
