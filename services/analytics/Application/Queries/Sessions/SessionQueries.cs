using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Queries.Sessions;

/// <summary>
/// Session reconstruction at read time over one organization's range. Bounded by <see cref="MaxRequests"/>:
/// a bigger range is a 400, not a slow query (materializing sessions at ingest is the scale-up path).
/// </summary>
public sealed class SessionQueries(ClickHouseClient clickHouse)
{
    public const int MaxRequests = 100_000;

    /// <summary>Null when the range holds more than <see cref="MaxRequests"/> requests.</summary>
    public async Task<List<SessionThread>?> ReconstructAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var rows = await clickHouse.QueryAsync(
            $"""
            SELECT request_id, toString(started_at) AS started, session_prefix_hash AS prefix_hash,
                   session_conversation_hash AS conversation_hash, if(served_model != '', served_model, requested_model) AS model,
                   status, toString(cost_usd) AS cost, input_tokens, output_tokens, latency_ms
            FROM requests FINAL
            {scope.WhereClause()}
            LIMIT {SqlLiteral.Number(MaxRequests + 1)}
            """,
            SessionRowsJson.Default.SessionRequestRow, cancellationToken);
        return rows.Count > MaxRequests ? null : SessionReconstructor.Reconstruct(rows);
    }
}
