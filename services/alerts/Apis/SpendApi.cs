using Microsoft.AspNetCore.Mvc;
using Requesty.Alerts.Application;
using Requesty.Alerts.Infrastructure;
using Requesty.Alerts.Auth;

namespace Requesty.Alerts.Apis;

public static class SpendApi
{
    public static IEndpointRouteBuilder MapSpendApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alerts")
            .WithTags("Alerts")
            .RequireAlertsAccess(AlertsAccessLevel.AdminRead);

        group.MapGet("/spend", GetSpendAsync)
            .WithName("GetSpend")
            .WithSummary("Accumulated spend per organization, user/key, group and user-in-group for one UTC calendar month.")
            .Produces<SpendResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<IResult> GetSpendAsync(
        HttpContext http,
        [FromQuery(Name = "month")] string? month,
        [FromQuery(Name = "scope")] string? scope,
        SpendLedger ledger,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var organizationId = OrgScope.Resolve(http, errors) ?? Guid.Empty;

        var selectedMonth = SpendMonth.Of(clock.GetUtcNow().UtcDateTime);
        if (month is not null && !SpendMonth.TryParse(month, out selectedMonth))
            errors["month"] = ["month must have the form YYYY-MM (UTC calendar month)."];

        if (scope is not null && !SpendScope.All.Contains(scope))
            errors["scope"] = [$"scope must be one of: {string.Join(", ", SpendScope.All.Order())}."];

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var rows = await ledger.GetAsync(organizationId, selectedMonth, scope, cancellationToken);
        return TypedResults.Ok(new SpendResponse(
            organizationId,
            SpendMonth.Format(selectedMonth),
            rows.Select(r => new SpendRowDto(r.Scope, r.ScopeId, r.GroupId, Normalize(r.SpendUsd), r.RequestCount, r.UpdatedAt)).ToList()));
    }

    // numeric comes back with trailing zeros of its scale; strip them so 0.5 is not "0.500000000".
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}

public sealed record SpendResponse(Guid OrgId, string Month, IReadOnlyList<SpendRowDto> Rows);

public sealed record SpendRowDto(string Scope, Guid ScopeId, Guid? GroupId, decimal SpendUsd, long RequestCount, DateTime UpdatedAt);
