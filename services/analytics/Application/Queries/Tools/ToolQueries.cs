using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Tools;

/// <summary>
/// Per tool name: the requests whose answer called it, with their cost, latency, success and tokens.
/// Calls are first counted per (request, tool) so a request calling a tool twice counts its cost once.
/// Plus the estimated client-side execution time (see <see cref="EstimateToolTimeAsync"/>).
/// </summary>
public sealed class ToolQueries(ClickHouseClient clickHouse)
{
    /// <summary>How long after the range's end a follow-up request carrying a tool result is still looked for.</summary>
    public static readonly TimeSpan FollowUpWindow = TimeSpan.FromDays(1);

    public async Task<List<ToolStats>> GetToolStatsAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var toolScope = $"organization_id = {SqlLiteral.Uuid(scope.OrganizationId)} AND started_at >= {SqlLiteral.DateTime(scope.From)} AND started_at < {SqlLiteral.DateTime(scope.To)}";
        var rows = await clickHouse.QueryAsync(
            $"""
            SELECT tool_name, count() AS requests, sum(calls) AS calls, sum(argument_bytes) AS argument_bytes,
                   toString(sum(cost_usd)) AS cost, toString(avg(latency_ms)) AS latency_avg,
                   countIf(status = 'success') AS successes, sum(output_tokens) AS output_tokens
            FROM (SELECT request_id, tool_name, count() AS calls, sum(arguments_bytes) AS argument_bytes
                  FROM tool_calls FINAL WHERE {toolScope} GROUP BY request_id, tool_name)
            ANY INNER JOIN (SELECT request_id, cost_usd, latency_ms, status, output_tokens FROM requests FINAL
                  {scope.WhereClause()}) USING request_id
            GROUP BY tool_name
            """,
            ToolRowsJson.Default.ToolRow, cancellationToken);
        var estimates = (await EstimateToolTimeAsync(scope, cancellationToken)).ToDictionary(e => e.ToolName, StringComparer.Ordinal);
        return [.. rows.Select(r => new ToolStats(
                r.ToolName, r.Requests, r.Calls, RequestScope.ParseNumber(r.Cost) ?? 0m,
                RequestScope.ParseNumber(r.LatencyAvg) is { } avg ? Math.Round(avg, 3) : null,
                Usage.UsageStats.Percent(r.Successes, r.Requests),
                r.Requests == 0 ? 0m : Math.Round((decimal)r.Calls / r.Requests, 4),
                r.Calls == 0 ? 0m : Math.Round((decimal)r.OutputTokens / r.Calls, 4),
                r.Calls == 0 ? 0m : Math.Round((decimal)r.ArgumentBytes / r.Calls, 4),
                estimates.TryGetValue(r.ToolName, out var estimate) ? estimate.Time : ToolTimeEstimate.None))
            .OrderByDescending(t => t.Requests).ThenBy(t => t.ToolName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// For every tool call (with an id) of a request in the scope: the first request of the same organisation that
    /// started at or after the calling request completed and carried the call id among its tool results. The gap
    /// between the two is the client's execution time (plus its own overhead); the minimum gap wins because later
    /// turns of a conversation replay the same tool results. Per tool name: matched calls, average, p50, p95 (exact).
    /// </summary>
    public async Task<List<ToolTimeRow>> EstimateToolTimeAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var org = SqlLiteral.Uuid(scope.OrganizationId);
        var toolScope = $"organization_id = {org} AND started_at >= {SqlLiteral.DateTime(scope.From)} AND started_at < {SqlLiteral.DateTime(scope.To)}";
        var followUps = $"organization_id = {org} AND started_at >= {SqlLiteral.DateTime(scope.From)} " +
            $"AND started_at < {SqlLiteral.DateTime(scope.To + FollowUpWindow)} AND notEmpty(tool_result_ids){scope.Access.AndCondition}";
        return await clickHouse.QueryAsync(
            $"""
            SELECT tool_name, count() AS matched, toString(avg(gap)) AS gap_avg,
                   quantileExact(0.5)(gap) AS gap_p50, quantileExact(0.95)(gap) AS gap_p95
            FROM (
                SELECT request_id, call_index, any(tool_name) AS tool_name, min(gap) AS gap
                FROM (
                    SELECT request_id, call_index, tool_name, toInt64(next_started_ms) - toInt64(completed_ms) AS gap
                    FROM (
                        SELECT request_id, call_index, call_id, tool_name, completed_ms
                        FROM (SELECT request_id, call_index, call_id, tool_name FROM tool_calls FINAL WHERE {toolScope} AND call_id != '')
                        ANY INNER JOIN (SELECT request_id, completed_ms FROM requests FINAL {scope.WhereClause()} AND completed_ms > 0) USING request_id
                    )
                    ALL INNER JOIN (
                        SELECT arrayJoin(tool_result_ids) AS call_id, started_ms AS next_started_ms FROM requests FINAL WHERE {followUps}
                    ) USING call_id
                    WHERE gap >= 0
                )
                GROUP BY request_id, call_index
            )
            GROUP BY tool_name
            """,
            ToolRowsJson.Default.ToolTimeRow, cancellationToken);
    }
}

/// <summary>
/// One tool's numbers: requests whose answer called it, calls, the cost and average latency of those requests,
/// their success rate (percent), calls per request, output tokens per call and argument bytes per call.
/// </summary>
public sealed record ToolStats(
    string ToolName, ulong Requests, ulong Calls, decimal CostUsd, decimal? LatencyAvgMs, decimal SuccessRate,
    decimal AvgCallsPerRequest, decimal AvgTokensPerCall, decimal AvgArgumentBytes, ToolTimeEstimate EstimatedExecution);

/// <summary>
/// Client-side execution time estimated from the gap between the answer that asked for a tool and the next
/// request carrying its result: how many calls were matched, and the average / p50 / p95 gap in ms (null when none).
/// </summary>
public sealed record ToolTimeEstimate(ulong Matched, decimal? AvgMs, long? P50Ms, long? P95Ms)
{
    public static readonly ToolTimeEstimate None = new(0, null, null, null);
}

public sealed record ToolTimeRow
{
    [JsonPropertyName("tool_name")] public string ToolName { get; init; } = "";
    [JsonPropertyName("matched")] public ulong Matched { get; init; }
    [JsonPropertyName("gap_avg")] public string? GapAvg { get; init; }
    [JsonPropertyName("gap_p50")] public long GapP50 { get; init; }
    [JsonPropertyName("gap_p95")] public long GapP95 { get; init; }

    public ToolTimeEstimate Time => new(Matched, RequestScope.ParseNumber(GapAvg) is { } avg ? Math.Round(avg, 3) : null, GapP50, GapP95);
}

public sealed record ToolRow
{
    [JsonPropertyName("tool_name")] public string ToolName { get; init; } = "";
    [JsonPropertyName("requests")] public ulong Requests { get; init; }
    [JsonPropertyName("calls")] public ulong Calls { get; init; }
    [JsonPropertyName("argument_bytes")] public ulong ArgumentBytes { get; init; }
    [JsonPropertyName("cost")] public string? Cost { get; init; }
    [JsonPropertyName("latency_avg")] public string? LatencyAvg { get; init; }
    [JsonPropertyName("successes")] public ulong Successes { get; init; }
    [JsonPropertyName("output_tokens")] public ulong OutputTokens { get; init; }
}

[JsonSerializable(typeof(ToolRow))]
[JsonSerializable(typeof(ToolTimeRow))]
internal sealed partial class ToolRowsJson : JsonSerializerContext;
