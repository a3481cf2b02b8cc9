using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Metrics;

namespace Requesty.Analytics.Apis;

/// <summary>POST /v1/analytics/query: the "advanced" workbench (any metric x calculation x grouping x filters).</summary>
public static class QueryApi
{
    public static RouteGroupBuilder MapQueryApi(this RouteGroupBuilder group)
    {
        group.MapPost("/query", QueryAsync)
            .WithName("QueryMetric")
            .WithSummary("A metric with a calculation, grouped by a field and/or time, filtered; JSON or CSV (Accept: text/csv or ?format=csv).")
            .Accepts<JsonElement>("application/json")
            .Produces<MetricQueryResult>()
            .Produces<string>(StatusCodes.Status200OK, MetricCsv.ContentType)
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<IResult> QueryAsync(
        HttpRequest request, [FromQuery] string? format, MetricQueryRunner runner, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var csv = WantsCsv(request, format, errors);
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            errors.Add("body", $"The body is not valid JSON: {e.Message}");
            return Results.ValidationProblem(errors.ToDictionary());
        }

        var caller = AnalyticsCaller.Of(request.HttpContext);
        var query = MetricQuery.Parse(body, errors, caller);
        if (query is null || errors.Any) return Results.ValidationProblem(errors.ToDictionary());
        if (!caller.MayRead(query.Scope.OrganizationId)) return CallerAuthenticationFilter.Forbidden("The API key belongs to another organization.");

        var result = await runner.RunAsync(query, cancellationToken);
        return csv ? Results.Text(MetricCsv.Write(result), MetricCsv.ContentType) : Results.Ok(result);
    }

    private static bool WantsCsv(HttpRequest request, string? format, ValidationErrors errors)
    {
        if (format is not null)
        {
            if (format is "csv") return true;
            if (format is not "json") errors.Add("format", "format must be json or csv.");
            return false;
        }
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MetricCsv.ContentType, StringComparison.OrdinalIgnoreCase));
    }
}
