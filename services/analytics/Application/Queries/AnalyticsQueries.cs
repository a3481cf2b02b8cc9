using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries;

/// <summary>Read side over ClickHouse. Reads use FINAL so redelivered events count once.</summary>
public sealed class AnalyticsQueries(ClickHouseClient clickHouse)
{
    public async Task<RequestRow?> FindRequestAsync(Guid requestId, Guid? organizationId, RowAccess access, CancellationToken cancellationToken)
    {
        var orgFilter = (organizationId is { } org ? $" AND organization_id = {SqlLiteral.Uuid(org)}" : "") + access.AndCondition;
        var rows = await clickHouse.QueryAsync(
            $"SELECT * FROM requests FINAL WHERE request_id = {SqlLiteral.Uuid(requestId)}{orgFilter} LIMIT 1",
            AnalyticsRowsJson.RequestRow, cancellationToken);
        return rows.FirstOrDefault();
    }

    /// <summary>Totals for requests started in [from, to).</summary>
    public async Task<UsageSummary> SummarizeAsync(Guid organizationId, DateTime from, DateTime to, RowAccess access, CancellationToken cancellationToken)
    {
        var rows = await clickHouse.QueryAsync(
            $"""
            SELECT count() AS requests, sum(cost_usd) AS cost_usd, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
            FROM requests FINAL
            WHERE organization_id = {SqlLiteral.Uuid(organizationId)}
              AND started_at >= {SqlLiteral.DateTime(from)} AND started_at < {SqlLiteral.DateTime(to)}{access.AndCondition}
            """,
            QueriesJsonContext.Default.UsageSummary, cancellationToken);
        return rows.FirstOrDefault() ?? new UsageSummary(0, 0m, 0, 0);
    }
}

public sealed record UsageSummary(
    [property: JsonPropertyName("requests")] ulong Requests,
    [property: JsonPropertyName("cost_usd")] decimal CostUsd,
    [property: JsonPropertyName("input_tokens")] ulong InputTokens,
    [property: JsonPropertyName("output_tokens")] ulong OutputTokens);

[JsonSerializable(typeof(UsageSummary))]
internal sealed partial class QueriesJsonContext : JsonSerializerContext;
