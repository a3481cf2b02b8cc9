using Microsoft.AspNetCore.Mvc;
using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Infrastructure;
using Requesty.ServiceDefaults;

namespace Requesty.Alerts.Apis;

/// <summary>
/// Budgets, names and the balance the alerts evaluate against. Interim: management will own these
/// and feed them to alerts by events; until then other services (or an admin) PUT them here.
/// </summary>
public static class BudgetsApi
{
    public static IEndpointRouteBuilder MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alerts/budgets").WithTags("Alert budgets (interim)").RequireInternalToken();
        group.MapPut("/users/{userId:guid}", PutUserAsync).WithName("PutAlertUserBudget")
            .WithSummary("A user's email and global monthly budget (null = none).").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();
        group.MapPut("/groups/{groupId:guid}", PutGroupAsync).WithName("PutAlertGroupBudget")
            .WithSummary("A group's name, admins, monthly budget and per-member monthly budget.").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();
        group.MapPut("/balance", PutBalanceAsync).WithName("PutAlertOrgBalance")
            .WithSummary("Sets the organization balance (top-up); re-arms balance alerts whose threshold it is now above.")
            .Produces<BalanceDto>().ProducesValidationProblem();
        group.MapGet("/balance", GetBalanceAsync).WithName("GetAlertOrgBalance")
            .WithSummary("The organization balance after the requests so far.").Produces<BalanceDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> PutUserAsync(Guid userId, [FromQuery(Name = "org_id")] string? orgId, PutUserBudgetRequest? body, BudgetStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(orgId, body?.OrgId, errors);
        if (string.IsNullOrWhiteSpace(body?.Email) || !body.Email.Contains('@')) errors["email"] = ["email is required."];
        if (body?.MonthlyBudgetUsd is <= 0) errors["monthly_budget_usd"] = ["monthly_budget_usd must be greater than 0 (or null for none)."];
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);
        await store.PutUserAsync(org.Value, userId, new UserProfile(body!.Email!.Trim(), body.MonthlyBudgetUsd), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutGroupAsync(Guid groupId, [FromQuery(Name = "org_id")] string? orgId, PutGroupBudgetRequest? body, BudgetStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(orgId, body?.OrgId, errors);
        if (string.IsNullOrWhiteSpace(body?.Name)) errors["name"] = ["name is required."];
        if (body?.MonthlyBudgetUsd is <= 0) errors["monthly_budget_usd"] = ["monthly_budget_usd must be greater than 0 (or null for none)."];
        if (body?.MemberMonthlyBudgetUsd is <= 0) errors["member_monthly_budget_usd"] = ["member_monthly_budget_usd must be greater than 0 (or null for none)."];
        if (body?.AdminEmails?.Any(e => string.IsNullOrWhiteSpace(e) || !e.Contains('@')) == true) errors["admin_emails"] = ["admin_emails must be email addresses."];
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);
        await store.PutGroupAsync(org.Value, groupId,
            new GroupProfile(body!.Name!.Trim(), body.MonthlyBudgetUsd, body.MemberMonthlyBudgetUsd, body.AdminEmails ?? []), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutBalanceAsync([FromQuery(Name = "org_id")] string? orgId, PutBalanceRequest? body, BudgetStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(orgId, body?.OrgId, errors);
        if (body?.BalanceUsd is null) errors["balance_usd"] = ["balance_usd is required."];
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);
        await store.SetBalanceAsync(org.Value, body!.BalanceUsd!.Value, ct);
        return TypedResults.Ok(new BalanceDto(org.Value, Money.Normalize(body.BalanceUsd.Value)));
    }

    private static async Task<IResult> GetBalanceAsync([FromQuery(Name = "org_id")] string? orgId, BudgetStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrgScope.Resolve(orgId, null, errors) is not { } org) return TypedResults.ValidationProblem(errors);
        return await store.GetBalanceAsync(org, ct) is { } balance
            ? TypedResults.Ok(new BalanceDto(org, balance))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No balance set for this organization.");
    }
}

public sealed record PutUserBudgetRequest(string? Email, decimal? MonthlyBudgetUsd, Guid? OrgId);

public sealed record PutGroupBudgetRequest(string? Name, decimal? MonthlyBudgetUsd, decimal? MemberMonthlyBudgetUsd, IReadOnlyList<string>? AdminEmails, Guid? OrgId);

public sealed record PutBalanceRequest(decimal? BalanceUsd, Guid? OrgId);

public sealed record BalanceDto(Guid OrgId, decimal BalanceUsd);
