using Npgsql;
using NpgsqlTypes;

namespace Requesty.McpGateway.Health;

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Warning = "warning";
    public const string Error = "error";
    public const string Disabled = "disabled";
}

public sealed record ServerHealth(Guid ServerId, string Status, string? Detail, int? LatencyMs, IReadOnlyList<string>? ToolNames, DateTime CheckedAt);

/// <summary>mcp.server_health: the latest check per server.</summary>
public sealed class ServerHealthStore(NpgsqlDataSource dataSource)
{
    public async Task<ServerHealth?> FindAsync(Guid serverId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT server_id, status, detail, latency_ms, tool_names, checked_at FROM mcp.server_health WHERE server_id = @id");
        command.Parameters.AddWithValue("id", serverId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ServerHealth(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4),
            DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc));
    }

    public async Task SaveAsync(ServerHealth health, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mcp.server_health (server_id, status, detail, latency_ms, tool_names, checked_at)
            SELECT @id, @status, @detail, @latency, @tools, @checked_at
            WHERE EXISTS (SELECT 1 FROM mcp.servers WHERE id = @id)
            ON CONFLICT (server_id) DO UPDATE SET status = excluded.status, detail = excluded.detail, latency_ms = excluded.latency_ms,
                tool_names = coalesce(excluded.tool_names, mcp.server_health.tool_names), checked_at = excluded.checked_at
            """);
        command.Parameters.AddWithValue("id", health.ServerId);
        command.Parameters.AddWithValue("status", health.Status);
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Text) { Value = (object?)health.Detail ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("latency", NpgsqlDbType.Integer) { Value = (object?)health.LatencyMs ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tools", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)health.ToolNames?.ToArray() ?? DBNull.Value });
        command.Parameters.AddWithValue("checked_at", health.CheckedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
