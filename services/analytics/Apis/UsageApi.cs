using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Tools;
using Requesty.Analytics.Application.Queries.Usage;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Apis;

/// <summary>
/// The dashboard views: GET /general, /savings and /apikey/{id}/usage. Query parameters: org_id, from, to,
/// the view's grouping parameters, and filters as filter.&lt;field&gt;=v1,v2 ('*' wildcards), e.g. filter.meta.feature=chat*.
/// </summary>
public static class UsageApi
{
    private static readonly TimeGrouping[] Periods = [TimeGrouping.Hour, TimeGrouping.Day, TimeGrouping.Week, TimeGrouping.Month];

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder group)
    {
        group.MapGet("/general", GeneralAsync)
            .WithName("GetGeneralAnalytics")
            .WithSummary("Cost, requests, tokens, latency (avg/p50/p90) and savings over time, optionally grouped, plus a per-model table.")
            .Produces<GeneralResponse>()
            .ProducesValidationProblem();
        group.MapGet("/savings", SavingsAsync)
            .WithName("GetSavingsAnalytics")
            .WithSummary("Cache hit rate, token cache rate, dollars and percent saved, in total and per model.")
            .Produces<SavingsResponse>()
            .ProducesValidationProblem();
        group.MapGet("/apikey/{id}/usage", ApiKeyUsageAsync)
            .WithName("GetApiKeyUsage")
            .WithSummary("One API key's usage over a range per period, optionally grouped by user, model or a metadata field.")
            .Produces<ApiKeyUsageResponse>()
            .ProducesValidationProblem();
        group.MapGet("/tools", ToolsAsync)
            .WithName("GetToolAnalytics")
            .WithSummary("Per tool name: requests, calls, cost, average latency, success rate, calls per request, tokens per call.")
            .Produces<ToolsResponse>()
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<IResult> ToolsAsync(HttpRequest request, ToolQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var scope = QueryParameters.ParseScope(request, [], errors);
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        var tools = await queries.GetToolStatsAsync(scope!, cancellationToken);
        return Results.Ok(new ToolsResponse(scope!.OrganizationId, scope.From, scope.To, tools));
    }

    private static async Task<IResult> GeneralAsync(HttpRequest request, UsageQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var scope = QueryParameters.ParseScope(request, ["time_grouping", "group_by"], errors);
        var grouping = TimeGroupings.Parse(request.Query["time_grouping"], Periods, TimeGrouping.Day, errors, "time_grouping");
        var groupBy = QueryParameters.ParseGroupBy(request.Query["group_by"], errors);
        if (scope is not null) grouping?.CheckBuckets(scope.From, scope.To, errors, "time_grouping");
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        var report = await queries.GetUsageAsync(scope!, groupBy, grouping!.Value, withModels: true, cancellationToken);
        return Results.Ok(new GeneralResponse(
            scope!.OrganizationId, scope.From, scope.To, Name(grouping.Value), groupBy?.Name, report.Totals, report.Series, report.Models ?? []));
    }

    private static async Task<IResult> SavingsAsync(HttpRequest request, UsageQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var scope = QueryParameters.ParseScope(request, [], errors);
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        var report = await queries.GetSavingsAsync(scope!, cancellationToken);
        return Results.Ok(new SavingsResponse(scope!.OrganizationId, scope.From, scope.To, report.Totals, report.Models));
    }

    private static async Task<IResult> ApiKeyUsageAsync(string id, HttpRequest request, UsageQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Guid.TryParse(id, out var apiKeyId)) errors.Add("id", "The API key id must be a UUID.");
        var scope = QueryParameters.ParseScope(request, ["period", "group_by"], errors);
        var period = TimeGroupings.Parse(request.Query["period"], Periods, TimeGrouping.Day, errors, "period");
        var groupBy = QueryParameters.ParseGroupBy(request.Query["group_by"], errors);
        if (scope is not null) period?.CheckBuckets(scope.From, scope.To, errors, "period");
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        scope = scope! with { Conditions = [$"api_key_id = {SqlLiteral.Uuid(apiKeyId)}"] };
        var report = await queries.GetUsageAsync(scope, groupBy, period!.Value, withModels: false, cancellationToken);
        return Results.Ok(new ApiKeyUsageResponse(
            apiKeyId, scope.OrganizationId, scope.From, scope.To, Name(period.Value), groupBy?.Name, report.Totals, report.Series));
    }

    private static string Name(TimeGrouping grouping) => grouping.ToString().ToLowerInvariant();
}

public sealed record GeneralResponse(
    Guid OrgId, DateTime From, DateTime To, string TimeGrouping, string? GroupBy,
    UsageStats Totals, IReadOnlyList<UsageSeries> Series, IReadOnlyList<ModelUsage> Models);

public sealed record SavingsResponse(Guid OrgId, DateTime From, DateTime To, SavingsStats Totals, IReadOnlyList<SavingsStats> Models);

public sealed record ApiKeyUsageResponse(
    Guid ApiKeyId, Guid OrgId, DateTime From, DateTime To, string Period, string? GroupBy,
    UsageStats Totals, IReadOnlyList<UsageSeries> Series);

public sealed record ToolsResponse(Guid OrgId, DateTime From, DateTime To, IReadOnlyList<ToolStats> Tools);
