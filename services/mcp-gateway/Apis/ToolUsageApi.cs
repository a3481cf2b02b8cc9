using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Infrastructure;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Apis;

public static class ToolUsageApi
{
    public static IEndpointRouteBuilder MapToolUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/mcp")
            .WithTags("MCP analytics")
            .RequireInternalToken()
            .MapGet("/tool-usage", GetToolUsageAsync)
            .WithName("GetToolUsage")
            .WithSummary("Tool calls per tool name for an organization, most used first (optionally within [from, to)).")
            .Produces<ToolUsageResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/v1/mcp/gateway-usage", GetGatewayUsageAsync)
            .WithTags("MCP analytics")
            .RequireRegistryCaller()
            .WithName("GetGatewayToolUsage")
            .WithSummary("Tool calls proxied through the gateway per server and tool (calls, failures, users, average latency), optionally within [from, to).")
            .Produces<List<GatewayToolUsage>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> GetGatewayUsageAsync(
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        HttpContext http,
        GatewayToolCallStore store,
        CancellationToken cancellationToken)
    {
        var caller = RegistryCaller.From(http);
        if (!caller.CanRead)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Needs manage_read or manage_write.");
        var errors = new Dictionary<string, string[]>();
        var fromAt = ParseTimestamp(from, "from", errors);
        var toAt = ParseTimestamp(to, "to", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await store.GetUsageAsync(caller.OrganizationId, fromAt, toAt, cancellationToken));
    }

    private static async Task<IResult> GetToolUsageAsync(
        [FromQuery(Name = "org_id")] string? orgId,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        ToolCallStore store,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(orgId, out var organizationId))
            errors["org_id"] = ["org_id is required and must be a UUID."];
        var fromAt = ParseTimestamp(from, "from", errors);
        var toAt = ParseTimestamp(to, "to", errors);
        if (fromAt is not null && toAt is not null && fromAt >= toAt)
            errors["to"] = ["to must be after from."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var usage = await store.GetUsageAsync(organizationId, fromAt, toAt, cancellationToken);
        return TypedResults.Ok(new ToolUsageResponse(
            organizationId, fromAt, toAt,
            usage.Select(u => new ToolUsageDto(u.ToolName, u.Calls, u.Requests, u.ArgumentsBytes, u.LastCalledAt)).ToList()));
    }

    private static DateTime? ParseTimestamp(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.UtcDateTime;
        errors[field] = [$"{field} must be an ISO 8601 timestamp (UTC assumed without offset)."];
        return null;
    }
}

public sealed record ToolUsageResponse(Guid OrgId, DateTime? From, DateTime? To, IReadOnlyList<ToolUsageDto> Tools);

public sealed record ToolUsageDto(string ToolName, long Calls, long Requests, long ArgumentsBytes, DateTime LastCalledAt);
