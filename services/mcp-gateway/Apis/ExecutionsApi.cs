using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Infrastructure;

namespace Requesty.McpGateway.Apis;

/// <summary>
/// GET /v1/mcp/executions: the newest tools/call executions with their details and, when linked,
/// the model request that asked for them (linked_request_id; see Application/ExecutionLinks).
/// Admins and the internal token see the whole organization; members see their own calls.
/// </summary>
public static class ExecutionsApi
{
    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/mcp/executions", ListAsync)
            .WithTags("MCP analytics")
            .RequireRegistryCaller()
            .WithName("ListMcpExecutions")
            .WithSummary("Tool calls proxied through the gateway, newest first (?limit=1..500, default 100), with linked model requests.")
            .Produces<List<GatewayExecution>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> ListAsync(int? limit, HttpContext http, GatewayToolCallStore store, CancellationToken cancellationToken)
    {
        var caller = RegistryCaller.From(http);
        if (!caller.CanRead)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Needs manage_read or manage_write.");
        if (limit is < 1 or > 500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500."] });
        Guid? userFilter = caller.IsAdmin ? null : caller.UserId ?? Guid.Empty;
        return TypedResults.Ok(await store.ListAsync(caller.OrganizationId, userFilter, limit ?? 100, cancellationToken));
    }
}
