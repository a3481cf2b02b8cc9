using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Mcp;

namespace Requesty.Analytics.Apis;

/// <summary>GET /v1/analytics/mcp: MCP tool executions per server and tool (calls, success rate, latency, active users).</summary>
public static class McpApi
{
    public const int MaxNames = 100;

    public static RouteGroupBuilder MapMcpApi(this RouteGroupBuilder group)
    {
        group.MapGet("/mcp", GetAsync)
            .WithName("GetMcpAnalytics")
            .WithSummary("MCP tool calls in [from, to) per server and per server+tool: calls, success rate, avg/p95 latency, active users. Filters: server=a,b tool=x,y.")
            .Produces<McpResponse>()
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<IResult> GetAsync(HttpRequest request, McpQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        foreach (var key in request.Query.Keys.Where(k => k is not ("org_id" or "from" or "to" or "server" or "tool")))
            errors.Add(key, "Unknown parameter. Allowed: org_id, from, to, server, tool.");
        var caller = AnalyticsCaller.Of(request.HttpContext);
        var org = caller.ResolveOrganization(request.Query["org_id"], errors);
        var range = errors.ParseRange(request.Query["from"], request.Query["to"]);
        var servers = Names(request, "server", errors);
        var tools = Names(request, "tool", errors);
        if (errors.Any || range is null) return Results.ValidationProblem(errors.ToDictionary());

        var scope = new McpScope(org, range.Value.From, range.Value.To, servers, tools) { Access = caller.Access };
        var report = await queries.GetAsync(scope, cancellationToken);
        return Results.Ok(new McpResponse(org, scope.From, scope.To, report.Totals, report.Servers, report.Tools));
    }

    private static List<string> Names(HttpRequest request, string field, ValidationErrors errors)
    {
        var names = request.Query[field].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        if (names.Count > MaxNames) errors.Add(field, $"At most {MaxNames} names.");
        else if (names.Any(n => n.Length > FieldFilter.MaxValueLength || n.Any(char.IsControl)))
            errors.Add(field, $"Names are at most {FieldFilter.MaxValueLength} characters without control characters.");
        return names;
    }
}

public sealed record McpResponse(
    Guid OrgId, DateTime From, DateTime To, McpStats Totals, IReadOnlyList<McpServerStats> Servers, IReadOnlyList<McpToolStats> Tools);
