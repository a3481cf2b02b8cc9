using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Infrastructure.Schema;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// Writes a batch with one JSONEachRow POST per table. Idempotent: the tables are
/// ReplacingMergeTrees keyed on the request, so a retried or redelivered batch collapses.
/// </summary>
public sealed class ClickHouseRequestWriter(ClickHouseClient clickHouse, SchemaReadiness schema, TimeProvider clock)
    : IRequestAnalyticsWriter
{
    public static readonly TimeSpan SchemaWaitTimeout = TimeSpan.FromSeconds(10);

    public async Task WriteAsync(IReadOnlyList<RequestCompleted> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        await schema.WaitAsync(SchemaWaitTimeout, cancellationToken);

        var version = (ulong)clock.GetUtcNow().ToUnixTimeMilliseconds();
        // Redeliveries inside one batch are collapsed here already; across batches ClickHouse does it.
        var unique = events.DistinctBy(e => e.RequestId).ToList();
        var requests = unique.Select(e => RequestRowMapper.ToRequestRow(e, version)).ToList();
        var toolCalls = unique.SelectMany(e => RequestRowMapper.ToToolCallRows(e, version)).ToList();

        // Tool calls first: a request row is what readers look for, so it appears only once its details exist.
        await clickHouse.InsertAsync("tool_calls", toolCalls, AnalyticsRowsJson.ToolCallRow, cancellationToken);
        await clickHouse.InsertAsync("requests", requests, AnalyticsRowsJson.RequestRow, cancellationToken);
    }
}
