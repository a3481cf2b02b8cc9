using Requesty.Alerts.Application.Budgets;
using Requesty.Alerts.Auth;

namespace Requesty.Alerts.Apis;

/// <summary>
/// Read-only view of the budgets, limits and balance alerts evaluates against. Management owns them
/// (change them there); this shows management's answer as alerts currently has it (cached up to
/// Alerts:Management:BudgetsCacheTtl), which helps explain why an alert did or did not fire.
/// </summary>
public static class BudgetsApi
{
    public static IEndpointRouteBuilder MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/alerts/budgets", GetAsync).WithTags("Alert budgets").RequireAlertsAccess(AlertsAccessLevel.AdminRead)
            .WithName("GetAlertBudgets")
            .WithSummary("The budgets, user limits and balance alerts uses, as read from management (read-only: management owns them).")
            .Produces<BudgetsDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, OrgBudgetsProvider provider, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrgScope.Resolve(http, errors) is not { } org) return TypedResults.ValidationProblem(errors);
        OrgBudgets budgets;
        try
        {
            budgets = await provider.GetAsync(org, ct);
        }
        catch (ManagementUnavailableException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Management unavailable", detail: e.Message);
        }
        return TypedResults.Ok(new BudgetsDto(
            org, budgets.Known, budgets.BillingMode, budgets.BalanceUsd, budgets.AlertBalance, budgets.DefaultUserMonthlyLimitUsd,
            budgets.Users.Values.OrderBy(u => u.Email, StringComparer.Ordinal)
                .Select(u => new UserBudgetDto(u.UserId, u.Email, u.MonthlyLimitUsd)).ToList(),
            budgets.Groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => new GroupBudgetDto(g.GroupId, g.Name, g.MonthlyBudgetUsd, g.MemberMonthlyLimitUsd, g.AdminEmails)).ToList(),
            budgets.FetchedAt));
    }
}

/// <summary><c>known</c> is false when management does not know the organization (nothing is budgeted).</summary>
public sealed record BudgetsDto(
    Guid OrgId, bool Known, string? BillingMode, decimal? BalanceUsd, decimal? AlertBalanceUsd, decimal? DefaultUserMonthlyLimit,
    IReadOnlyList<UserBudgetDto> Users, IReadOnlyList<GroupBudgetDto> Groups, DateTime FetchedAt);

public sealed record UserBudgetDto(Guid UserId, string Email, decimal? MonthlyLimit);

public sealed record GroupBudgetDto(Guid GroupId, string Name, decimal? MonthlyBudget, decimal? MemberMonthlyLimit, IReadOnlyList<string> AdminEmails);
