using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Requesty.Alerts.Infrastructure;
using Requesty.Alerts.Auth;

namespace Requesty.Alerts.Apis;

public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/alerts/deliveries").WithTags("Alert deliveries").RequireAlertsAccess(AlertsAccessLevel.AdminRead)
            .MapGet("", ListAsync).WithName("ListAlertDeliveries")
            .WithSummary("Alerts sent or pending, newest first, with every delivery attempt (status, latency, error).")
            .Produces<DeliveryListResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, [FromQuery(Name = "limit")] int? limit, DeliveryStore deliveries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(http, errors);
        if (limit is < 1 or > 500) errors["limit"] = ["limit must be between 1 and 500."];
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);

        var list = await deliveries.ListAsync(org.Value, limit ?? 100, ct);
        return TypedResults.Ok(new DeliveryListResponse(list.Select(d => new DeliveryDto(
            d.Id, d.RuleId, d.AlertType, d.Status, d.Attempts, JsonDocument.Parse(d.Payload).RootElement.Clone(), d.CreatedAt, d.CompletedAt,
            d.AttemptLog.Select(a => new DeliveryAttemptDto(a.Attempt, a.WebhookType, a.Url, a.StatusCode, a.LatencyMs, a.Error, a.AttemptedAt)).ToList()))
            .ToList()));
    }
}

public sealed record DeliveryListResponse(IReadOnlyList<DeliveryDto> Data);

public sealed record DeliveryDto(
    Guid Id, Guid RuleId, string Type, string Status, int AttemptCount, JsonElement Payload,
    DateTime CreatedAt, DateTime? CompletedAt, IReadOnlyList<DeliveryAttemptDto> Attempts);

public sealed record DeliveryAttemptDto(int Attempt, string WebhookType, string Url, int? StatusCode, int LatencyMs, string? Error, DateTime AttemptedAt);
