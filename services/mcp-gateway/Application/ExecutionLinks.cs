using Npgsql;
using NpgsqlTypes;

namespace Requesty.McpGateway.Application;

/// <summary>
/// Links a gateway tools/call (an "execution") to the model request whose answer asked for it.
///
/// The model tool calls come from RequestCompleted (consumed into mcp.tool_calls: id, name, request
/// id, organization, completion time). They are looked up in PostgreSQL rather than in process
/// memory because every replica shares one queue: only the database sees every event. Only recent
/// rows count (the windows below), so the lookups stay bounded however long the table grows.
///
/// Rule 1 (exact): the client's JSON-RPC id of the tools/call equals the id the model gave a tool
/// call (e.g. "call_abc" / "toolu_...") in the same organization within <see cref="IdWindow"/>.
/// Clients that reuse the model's call id as JSON-RPC id get an unambiguous link.
///
/// Rule 2 (heuristic): otherwise, a request of the same organization that completed at most
/// <see cref="NameWindow"/> before the call started (<see cref="ClockSkew"/> tolerated after) and
/// asked for exactly this namespaced tool ("server__tool") exactly once. The most recent such request
/// wins, unless an earlier execution already claimed it by this rule: one model call, one execution.
/// Requests that asked for the same tool several times are ambiguous and never linked by name.
///
/// The event usually arrives after the client ran the tool (the router publishes once its answer
/// is sent), so rule 1 is also applied the other way round when the event is consumed
/// (<see cref="LinkLateAsync"/>): the execution row then gets its link; the McpToolCalled event
/// already published keeps LinkedRequestId null.
/// </summary>
public static class ExecutionLinks
{
    public static readonly TimeSpan IdWindow = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan NameWindow = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <returns>The request id the execution answers, or null.</returns>
    public static async Task<Guid?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organizationId, string? clientCallId,
        string namespacedTool, DateTime startedAt, CancellationToken cancellationToken)
    {
        if (clientCallId is not null)
        {
            await using var byId = new NpgsqlCommand("""
                SELECT request_id FROM mcp.tool_calls
                WHERE organization_id = @org AND tool_call_id = @id AND called_at >= @since
                ORDER BY called_at DESC LIMIT 1
                """, connection, transaction);
            byId.Parameters.AddWithValue("org", organizationId);
            byId.Parameters.AddWithValue("id", clientCallId);
            byId.Parameters.AddWithValue("since", startedAt - IdWindow);
            if (await byId.ExecuteScalarAsync(cancellationToken) is Guid requestId) return requestId;
        }

        await using var byName = new NpgsqlCommand("""
            SELECT t.request_id FROM mcp.tool_calls t
            WHERE t.organization_id = @org AND t.tool_name = @tool AND t.called_at BETWEEN @since AND @until
              AND NOT EXISTS (SELECT 1 FROM mcp.gateway_tool_calls g
                              WHERE g.linked_request_id = t.request_id AND g.organization_id = @org
                                AND g.server_name || '__' || g.tool_name = @tool)
            GROUP BY t.request_id
            HAVING count(*) = 1
            ORDER BY max(t.called_at) DESC LIMIT 1
            """, connection, transaction);
        byName.Parameters.AddWithValue("org", organizationId);
        byName.Parameters.AddWithValue("tool", namespacedTool);
        byName.Parameters.AddWithValue("since", startedAt - NameWindow);
        byName.Parameters.AddWithValue("until", startedAt + ClockSkew);
        return await byName.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    /// <summary>Rule 1 for executions that ran before their RequestCompleted arrived.</summary>
    public static async Task<int> LinkLateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organizationId, Guid requestId,
        IReadOnlyList<string> toolCallIds, DateTime completedAt, CancellationToken cancellationToken)
    {
        if (toolCallIds.Count == 0) return 0;
        await using var update = new NpgsqlCommand("""
            UPDATE mcp.gateway_tool_calls SET linked_request_id = @request
            WHERE organization_id = @org AND linked_request_id IS NULL AND client_call_id = ANY(@ids)
              AND called_at BETWEEN @since AND @until
            """, connection, transaction);
        update.Parameters.AddWithValue("request", requestId);
        update.Parameters.AddWithValue("org", organizationId);
        update.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = toolCallIds.ToArray() });
        update.Parameters.AddWithValue("since", completedAt - ClockSkew);
        update.Parameters.AddWithValue("until", completedAt + IdWindow);
        return await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
