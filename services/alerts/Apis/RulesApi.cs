using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Auth;
using Requesty.Alerts.Infrastructure;

namespace Requesty.Alerts.Apis;

public static class RulesApi
{
    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alerts/rules").WithTags("Alert rules");

        group.MapGet("", ListAsync).RequireAlertsAccess(AlertsAccessLevel.Read).WithName("ListAlertRules").WithSummary("The organization's alert thresholds.")
            .Produces<RuleListResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("", CreateAsync).RequireAlertsAccess(AlertsAccessLevel.Write).WithName("CreateAlertRule")
            .WithSummary("Adds a threshold: percent types take 1-100, dollar types take an amount > 0.")
            .Produces<RuleDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAlertsAccess(AlertsAccessLevel.Write).WithName("DeleteAlertRule").WithSummary("Removes a threshold.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, AlertRuleStore rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrgScope.Resolve(http, errors) is not { } org) return TypedResults.ValidationProblem(errors);
        var list = await rules.ListAsync(org, ct);
        return TypedResults.Ok(new RuleListResponse(list.Select(RuleDto.From).ToList()));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, CreateRuleRequest? body, AlertRuleStore rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(http, body?.OrgId, errors, out var notFound);
        if (notFound is not null) return notFound;
        if (body?.Type is not { } type || !AlertTypes.All.Contains(type))
            errors["type"] = [$"type must be one of: {string.Join(", ", AlertTypes.All)}."];
        else if (body.Threshold is not { } threshold)
            errors["threshold"] = ["threshold is required."];
        else if (AlertTypes.ValidateThreshold(type, threshold) is { } message)
            errors["threshold"] = [message];
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);

        var rule = await rules.CreateAsync(org.Value, body!.Type!, body.Threshold!.Value, ct);
        if (rule is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Rule exists",
                detail: $"The organization already has a {body.Type} rule with threshold {Money.Plain(body.Threshold.Value)}.");
        }
        return TypedResults.Created($"/v1/alerts/rules/{rule.Id}", RuleDto.From(rule));
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, AlertRuleStore rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrgScope.Resolve(http, errors) is not { } org) return TypedResults.ValidationProblem(errors);
        return await rules.DeleteAsync(org, id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No alert rule {id} in this organization.");
    }
}

public sealed record CreateRuleRequest(string? Type, decimal? Threshold, Guid? OrgId);

public sealed record RuleDto(Guid Id, string Type, decimal Threshold, string Unit, DateTime CreatedAt)
{
    public static RuleDto From(AlertRule rule) =>
        new(rule.Id, rule.Type, Money.Normalize(rule.Threshold), AlertTypes.IsPercent(rule.Type) ? "percent" : "usd", rule.CreatedAt);
}

public sealed record RuleListResponse(IReadOnlyList<RuleDto> Data);
