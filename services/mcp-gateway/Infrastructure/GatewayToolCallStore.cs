using Npgsql;
using NpgsqlTypes;

namespace Requesty.McpGateway.Infrastructure;

/// <summary>One tool call proxied by the gateway's MCP endpoint.</summary>
public sealed record GatewayToolCall(
    Guid OrganizationId, Guid ApiKeyId, Guid? UserId, Guid ServerId, string ServerName, string ToolName,
    DateTime CalledAt, int LatencyMs, bool Success, string? Error);

/// <summary>Proxied calls of one tool of one server.</summary>
public sealed record GatewayToolUsage(
    Guid ServerId, string ServerName, string ToolName, long Calls, long Failures, long Users, int AverageLatencyMs, DateTime LastCalledAt);

/// <summary>mcp.gateway_tool_calls: the audit and analytics trail of proxied calls (never arguments or results).</summary>
public sealed class GatewayToolCallStore(NpgsqlDataSource dataSource)
{
    public async Task RecordAsync(GatewayToolCall call, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mcp.gateway_tool_calls (id, organization_id, api_key_id, user_id, server_id, server_name, tool_name,
                                                called_at, latency_ms, success, error)
            VALUES (@id, @org, @key, @user, @server, @server_name, @tool, @called_at, @latency, @success, @error)
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
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
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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
