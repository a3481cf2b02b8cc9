using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Tools;

/// <summary>
/// Per tool name: the requests whose answer called it, with their cost, latency, success and tokens.
/// Calls are first counted per (request, tool) so a request calling a tool twice counts its cost once.
/// </summary>
public sealed class ToolQueries(ClickHouseClient clickHouse)
{
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
        return [.. rows.Select(r => new ToolStats(
                r.ToolName, r.Requests, r.Calls, RequestScope.ParseNumber(r.Cost) ?? 0m,
                RequestScope.ParseNumber(r.LatencyAvg) is { } avg ? Math.Round(avg, 3) : null,
                Usage.UsageStats.Percent(r.Successes, r.Requests),
                r.Requests == 0 ? 0m : Math.Round((decimal)r.Calls / r.Requests, 4),
                r.Calls == 0 ? 0m : Math.Round((decimal)r.OutputTokens / r.Calls, 4),
                r.Calls == 0 ? 0m : Math.Round((decimal)r.ArgumentBytes / r.Calls, 4)))
            .OrderByDescending(t => t.Requests).ThenBy(t => t.ToolName, StringComparer.Ordinal)];
    }
}

/// <summary>
/// One tool's numbers: requests whose answer called it, calls, the cost and average latency of those requests,
/// their success rate (percent), calls per request, output tokens per call and argument bytes per call.
/// </summary>
public sealed record ToolStats(
    string ToolName, ulong Requests, ulong Calls, decimal CostUsd, decimal? LatencyAvgMs, decimal SuccessRate,
    decimal AvgCallsPerRequest, decimal AvgTokensPerCall, decimal AvgArgumentBytes);

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
internal sealed partial class ToolRowsJson : JsonSerializerContext;
