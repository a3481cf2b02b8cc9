using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Servers;

namespace Requesty.McpGateway.Health;

public sealed record HealthResponse(Guid ServerId, string Status, string? Detail, int? LatencyMs, int? ToolCount, DateTime CheckedAt);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/mcp/servers/{id:guid}/health", GetAsync)
            .WithTags("MCP servers")
            .RequireRegistryCaller()
            .WithName("GetMcpServerHealth")
            .WithSummary("The latest health check (healthy / warning / error / disabled); ?refresh=true checks now.")
            .Produces<HealthResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(
        Guid id, bool? refresh, HttpContext http, McpServerStore servers, ServerHealthStore store, ServerHealthChecker checker, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (!caller.CanRead)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Needs manage_read or manage_write.");
        if (await servers.FindAsync(caller.OrganizationId, id, ct) is not { } server)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No MCP server {id} in this organization.");

        var health = refresh == true ? null : await store.FindAsync(server.Id, ct);
        health ??= await checker.CheckAsync(server, ct);
        return TypedResults.Ok(new HealthResponse(health.ServerId, health.Status, health.Detail, health.LatencyMs, health.ToolNames?.Count, health.CheckedAt));
    }
}
