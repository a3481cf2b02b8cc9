using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Contracts.Events;
using Requesty.McpGateway.Application;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Infrastructure;

/// <summary>One tool call proxied by the gateway's MCP endpoint (an "execution"); <see cref="CallId"/> is the event's idempotency key.</summary>
public sealed record GatewayToolCall(
    Guid CallId, Guid OrganizationId, Guid ApiKeyId, Guid? UserId, Guid ServerId, string ServerName, string ToolName,
    string? ClientCallId, DateTime StartedAt, DateTime CalledAt, int LatencyMs, bool Success, string? ErrorKind, string? Error,
    int ArgumentsBytes, int ResultBytes);

/// <summary>Proxied calls of one tool of one server.</summary>
public sealed record GatewayToolUsage(
    Guid ServerId, string ServerName, string ToolName, long Calls, long Failures, long Users, int AverageLatencyMs, DateTime LastCalledAt);

/// <summary>One row of the execution log (GET /v1/mcp/executions).</summary>
public sealed record GatewayExecution(
    Guid CallId, Guid ServerId, string ServerName, string ToolName, Guid ApiKeyId, Guid? UserId, string? ClientCallId,
    DateTime? StartedAt, DateTime CalledAt, int LatencyMs, bool Success, string? ErrorKind, string? Error,
    int ArgumentsBytes, int ResultBytes, Guid? LinkedRequestId);

/// <summary>
/// mcp.gateway_tool_calls: the audit and analytics trail of proxied calls (never arguments or
/// results). Each row is written together with its McpToolCalled event in mcp.outbox (one
/// transaction), so the event survives a RabbitMQ outage; <see cref="Messaging.OutboxPublisher"/> sends it.
/// </summary>
public sealed class GatewayToolCallStore(NpgsqlDataSource dataSource, OutboxSignal signal, TimeProvider clock)
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    /// <returns>The event written to the outbox (with the link found, if any).</returns>
    public async Task<McpToolCalled> RecordAsync(GatewayToolCall call, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var linked = await ExecutionLinks.FindAsync(connection, transaction, call.OrganizationId, call.ClientCallId,
            call.ServerName + "__" + call.ToolName, call.StartedAt, cancellationToken);

        await using (var command = new NpgsqlCommand("""
            INSERT INTO mcp.gateway_tool_calls (id, organization_id, api_key_id, user_id, server_id, server_name, tool_name,
                                                called_at, latency_ms, success, error, started_at, client_call_id, error_kind,
                                                arguments_bytes, result_bytes, linked_request_id)
            VALUES (@id, @org, @key, @user, @server, @server_name, @tool, @called_at, @latency, @success, @error, @started_at,
                    @client_call_id, @error_kind, @arguments_bytes, @result_bytes, @linked)
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("id", call.CallId);
            command.Parameters.AddWithValue("org", call.OrganizationId);
            command.Parameters.AddWithValue("key", call.ApiKeyId);
            command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)call.UserId ?? DBNull.Value });
            command.Parameters.AddWithValue("server", call.ServerId);
            command.Parameters.AddWithValue("server_name", call.ServerName);
            command.Parameters.AddWithValue("tool", call.ToolName);
            command.Parameters.AddWithValue("called_at", call.CalledAt);
            command.Parameters.AddWithValue("latency", call.LatencyMs);
            command.Parameters.AddWithValue("success", call.Success);
            command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)Truncate(call.Error) ?? DBNull.Value });
            command.Parameters.AddWithValue("started_at", call.StartedAt);
            command.Parameters.Add(new NpgsqlParameter("client_call_id", NpgsqlDbType.Text) { Value = (object?)call.ClientCallId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("error_kind", NpgsqlDbType.Text) { Value = (object?)call.ErrorKind ?? DBNull.Value });
            command.Parameters.AddWithValue("arguments_bytes", call.ArgumentsBytes);
            command.Parameters.AddWithValue("result_bytes", call.ResultBytes);
            command.Parameters.Add(new NpgsqlParameter("linked", NpgsqlDbType.Uuid) { Value = (object?)linked ?? DBNull.Value });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var message = new McpToolCalled
        {
            CallId = call.CallId,
            OrganizationId = call.OrganizationId,
            ApiKeyId = call.ApiKeyId,
            UserId = call.UserId,
            ServerId = call.ServerId,
            ServerName = call.ServerName,
            ToolName = call.ToolName,
            ClientCallId = call.ClientCallId,
            StartedAt = call.StartedAt,
            LatencyMs = call.LatencyMs,
            Success = call.Success,
            ErrorKind = call.ErrorKind,
            ErrorMessage = Truncate(call.Error),
            ArgumentsBytes = call.ArgumentsBytes,
            ResultBytes = call.ResultBytes,
            LinkedRequestId = linked,
        };
        await using (var outbox = new NpgsqlCommand("""
            INSERT INTO mcp.outbox (id, message_type, payload, created_at) VALUES (@id, @type, @payload, @now)
            """, connection, transaction))
        {
            outbox.Parameters.AddWithValue("id", call.CallId);
            outbox.Parameters.AddWithValue("type", nameof(McpToolCalled));
            outbox.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(message, EventJson) });
            outbox.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
            await outbox.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return message;
    }

    /// <summary>The newest executions of the organization (optionally of one user), with their model request links.</summary>
    public async Task<IReadOnlyList<GatewayExecution>> ListAsync(Guid organizationId, Guid? userId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, server_id, server_name, tool_name, api_key_id, user_id, client_call_id, started_at, called_at, latency_ms,
                   success, error_kind, error, arguments_bytes, result_bytes, linked_request_id
            FROM mcp.gateway_tool_calls
            WHERE organization_id = @org AND (@user::uuid IS NULL OR user_id = @user::uuid)
            ORDER BY called_at DESC, id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)userId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<GatewayExecution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new GatewayExecution(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)), Utc(reader.GetDateTime(8)), reader.GetInt32(9), reader.GetBoolean(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.GetInt32(13), reader.GetInt32(14), reader.IsDBNull(15) ? null : reader.GetGuid(15)));
        }
        return rows;
    }

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    /// <summary>Proxied calls per server and tool in [from, to), most used first.</summary>
    public async Task<IReadOnlyList<GatewayToolUsage>> GetUsageAsync(Guid organizationId, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT server_id, server_name, tool_name, count(*), count(*) FILTER (WHERE NOT success), count(DISTINCT user_id),
                   round(avg(latency_ms))::integer, max(called_at)
            FROM mcp.gateway_tool_calls
            WHERE organization_id = @org
              AND (@from::timestamptz IS NULL OR called_at >= @from::timestamptz)
              AND (@to::timestamptz IS NULL OR called_at < @to::timestamptz)
            GROUP BY server_id, server_name, tool_name
            ORDER BY count(*) DESC, server_name, tool_name
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        var usage = new List<GatewayToolUsage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            usage.Add(new GatewayToolUsage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt32(6), DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc)));
        }
        return usage;
    }

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}
