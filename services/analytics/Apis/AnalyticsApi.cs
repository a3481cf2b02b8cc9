using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json.Nodes;
using Requesty.Analytics.Application.Feedback;
using Requesty.Analytics.Application.Queries;
using Requesty.Analytics.Application.Access;

namespace Requesty.Analytics.Apis;

/// <summary>Read API over the analytics store: /v1/analytics/...</summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/analytics")
            .WithTags("Analytics")
            .AddEndpointFilter<RouteGroupBuilder, CallerAuthenticationFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/requests/{requestId:guid}", GetRequestAsync)
            .WithName("GetRequest")
            .WithSummary("One request as stored (redeliveries collapsed).")
            .Produces<RequestDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/summary", GetSummaryAsync)
            .WithName("GetSummary")
            .WithSummary("Totals for an organization's requests started in [from, to).")
            .Produces<SummaryResponse>()
            .ProducesValidationProblem();

        group.MapQueryApi();
        group.MapUsageApi();
        group.MapSessionsApi();
        group.MapMcpApi();
        return app;
    }

    private static async Task<IResult> GetRequestAsync(
        Guid requestId, [FromQuery(Name = "org_id")] Guid? organizationId, HttpContext http, AnalyticsQueries queries, FeedbackStore feedback,
        CancellationToken cancellationToken)
    {
        var caller = AnalyticsCaller.Of(http);
        if (!caller.IsService) organizationId = caller.OrganizationId;
        var row = await queries.FindRequestAsync(requestId, organizationId, caller.Access, cancellationToken);
        if (row is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No request {requestId} is stored.");
        var stored = await feedback.FindAsync(requestId, row.OrganizationId, cancellationToken);
        return Results.Ok(RequestDetails.From(row) with { Feedback = stored is null ? null : JsonNode.Parse(stored.Data) });
    }

    private static async Task<IResult> GetSummaryAsync(
        [FromQuery(Name = "org_id")] string? orgId,
        [FromQuery] string? from,
        [FromQuery] string? to,
        HttpContext http,
        AnalyticsQueries queries,
        CancellationToken cancellationToken)
    {
        var caller = AnalyticsCaller.Of(http);
        var errors = new Dictionary<string, string[]>();
        Guid organizationId = caller.OrganizationId;
        if (caller.IsService || !string.IsNullOrWhiteSpace(orgId))
        {
            if (string.IsNullOrWhiteSpace(orgId)) errors["org_id"] = ["org_id is required."];
            else if (!Guid.TryParse(orgId, out organizationId)) errors["org_id"] = ["org_id must be a UUID."];
        }
        var fromUtc = ParseTime(from, "from", errors);
        var toUtc = ParseTime(to, "to", errors);
        if (fromUtc is { } f && toUtc is { } t && t <= f) errors["to"] = ["to must be later than from."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var summary = await queries.SummarizeAsync(organizationId, fromUtc!.Value, toUtc!.Value, caller.Access, cancellationToken);
        return Results.Ok(new SummaryResponse(
            organizationId, fromUtc.Value, toUtc.Value, summary.Requests, summary.CostUsd, summary.InputTokens, summary.OutputTokens));
    }

    private static DateTime? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{field} is required (ISO 8601, e.g. 2025-01-31T00:00:00Z)."];
            return null;
        }
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            || parsed.UtcDateTime.Year is < 1970 or > 2105)
        {
            errors[field] = [$"{field} must be an ISO 8601 date-time between 1970 and 2105."];
            return null;
        }
        return parsed.UtcDateTime;
    }
}

public sealed record SummaryResponse(
    Guid OrgId, DateTime From, DateTime To, ulong Requests, decimal CostUsd, ulong InputTokens, ulong OutputTokens);
