using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Mcp;

/// <summary>A validated GET /mcp request: one organisation, [from, to), optional server and tool name lists.</summary>
public sealed record McpScope(Guid OrganizationId, DateTime From, DateTime To, IReadOnlyList<string> Servers, IReadOnlyList<string> Tools)
{
    public RowAccess Access { get; init; } = RowAccess.WholeOrganization;

    public string WhereClause()
    {
        var parts = new List<string>
        {
            $"organization_id = {SqlLiteral.Uuid(OrganizationId)}",
            $"started_at >= {SqlLiteral.DateTime(From)}",
            $"started_at < {SqlLiteral.DateTime(To)}",
        };
        if (Servers.Count > 0) parts.Add($"server_name IN ({string.Join(", ", Servers.Select(SqlLiteral.String))})");
        if (Tools.Count > 0) parts.Add($"tool_name IN ({string.Join(", ", Tools.Select(SqlLiteral.String))})");
        if (Access.Condition is { } access) parts.Add(access);
        return "WHERE " + string.Join("\n  AND ", parts);
    }
}

/// <summary>
/// MCP analytics from mcp_tool_calls (FINAL: redelivered events count once): per server and tool, and
/// per server, the calls, success rate, average and p95 latency (quantileExact) and active users.
/// </summary>
public sealed class McpQueries(ClickHouseClient clickHouse)
{
    private const string Columns = """
        count() AS calls,
        sum(success) AS successes,
        toString(avg(latency_ms)) AS latency_avg,
        quantileExact(0.95)(latency_ms) AS latency_p95,
        uniqExactIf(user_id, user_id != toUUID('00000000-0000-0000-0000-000000000000')) AS active_users
        """;

    public async Task<McpReport> GetAsync(McpScope scope, CancellationToken cancellationToken)
    {
        var where = scope.WhereClause();
        var tools = await clickHouse.QueryAsync(
            $"SELECT server_name AS server, tool_name AS tool, {Columns}\nFROM mcp_tool_calls FINAL\n{where}\nGROUP BY server, tool",
            McpStatsJsonContext.Default.McpStatsRow, cancellationToken);
        var servers = await clickHouse.QueryAsync(
            $"SELECT server_name AS server, '' AS tool, {Columns}\nFROM mcp_tool_calls FINAL\n{where}\nGROUP BY server",
            McpStatsJsonContext.Default.McpStatsRow, cancellationToken);
        var totals = await clickHouse.QueryAsync(
            $"SELECT '' AS server, '' AS tool, {Columns}\nFROM mcp_tool_calls FINAL\n{where}",
            McpStatsJsonContext.Default.McpStatsRow, cancellationToken);
        return new McpReport(
            McpStats.From(totals.SingleOrDefault() ?? new McpStatsRow()),
            [.. servers.Select(s => new McpServerStats(s.Server, McpStats.From(s)))
                .OrderByDescending(s => s.Stats.Calls).ThenBy(s => s.Server, StringComparer.Ordinal)],
            [.. tools.Select(t => new McpToolStats(t.Server, t.Tool, McpStats.From(t)))
                .OrderByDescending(t => t.Stats.Calls).ThenBy(t => t.Server, StringComparer.Ordinal).ThenBy(t => t.Tool, StringComparer.Ordinal)]);
    }
}

public sealed record McpReport(McpStats Totals, IReadOnlyList<McpServerStats> Servers, IReadOnlyList<McpToolStats> Tools);

public sealed record McpServerStats(string Server, McpStats Stats);

public sealed record McpToolStats(string Server, string Tool, McpStats Stats);

/// <summary>Success rate in percent (4 decimals); latency average rounded to 3 decimals; null when there were no calls.</summary>
public sealed record McpStats(ulong Calls, ulong Successes, decimal SuccessRate, decimal? LatencyAvgMs, uint LatencyP95Ms, ulong ActiveUsers)
{
    public static McpStats From(McpStatsRow row) => new(
        row.Calls, row.Successes, Usage.UsageStats.Percent(row.Successes, row.Calls),
        row.Calls > 0 && RequestScope.ParseNumber(row.LatencyAvg) is { } avg ? Math.Round(avg, 3) : null,
        row.LatencyP95, row.ActiveUsers);
}

public sealed record McpStatsRow
{
    [JsonPropertyName("server")] public string Server { get; init; } = "";
    [JsonPropertyName("tool")] public string Tool { get; init; } = "";
    [JsonPropertyName("calls")] public ulong Calls { get; init; }
    [JsonPropertyName("successes")] public ulong Successes { get; init; }
    [JsonPropertyName("latency_avg")] public string? LatencyAvg { get; init; }
    [JsonPropertyName("latency_p95")] public uint LatencyP95 { get; init; }
    [JsonPropertyName("active_users")] public ulong ActiveUsers { get; init; }
}

[JsonSerializable(typeof(McpStatsRow))]
internal sealed partial class McpStatsJsonContext : JsonSerializerContext;
