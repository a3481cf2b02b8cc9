using Npgsql;
using NpgsqlTypes;
using Requesty.Contracts.Events;

namespace Requesty.McpGateway.Infrastructure;

/// <summary>Calls of one tool within an organization and time range.</summary>
public sealed record ToolUsage(string ToolName, long Calls, long Requests, long ArgumentsBytes, DateTime LastCalledAt);

/// <summary>PostgreSQL storage of consumed requests and the tool calls models made (mcp schema).</summary>
public sealed class ToolCallStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string ModelSource = "model";

    /// <summary>Stores the request and its tool calls in one transaction.</summary>
    /// <returns>false when the request id had already been stored (redelivery).</returns>
    public async Task<bool> RecordAsync(RequestCompleted request, CancellationToken cancellationToken)
    {
        var completedAt = AsUtc(request.CompletedAt);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var claim = new NpgsqlCommand("""
            INSERT INTO mcp.processed_requests (request_id, organization_id, api_key_id, user_id, tool_call_count, completed_at, processed_at)
            VALUES (@request_id, @organization_id, @api_key_id, @user_id, @tool_call_count, @completed_at, @now)
            ON CONFLICT (request_id) DO NOTHING
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("request_id", request.RequestId);
            claim.Parameters.AddWithValue("organization_id", request.Caller.OrganizationId);
            claim.Parameters.AddWithValue("api_key_id", request.Caller.ApiKeyId);
            claim.Parameters.Add(new NpgsqlParameter("user_id", NpgsqlDbType.Uuid) { Value = (object?)request.Caller.UserId ?? DBNull.Value });
            claim.Parameters.AddWithValue("tool_call_count", request.ToolCalls.Count);
            claim.Parameters.AddWithValue("completed_at", completedAt);
            claim.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }

        if (request.ToolCalls.Count > 0)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO mcp.tool_calls (request_id, call_index, organization_id, source, tool_call_id, tool_name, arguments_bytes, called_at)
                SELECT @request_id, c.ord - 1, @organization_id, @source, c.id, c.name, c.bytes, @called_at
                FROM unnest(@ids, @names, @bytes) WITH ORDINALITY AS c(id, name, bytes, ord)
                """, connection, transaction);
            insert.Parameters.AddWithValue("request_id", request.RequestId);
            insert.Parameters.AddWithValue("organization_id", request.Caller.OrganizationId);
            insert.Parameters.AddWithValue("source", ModelSource);
            insert.Parameters.AddWithValue("called_at", completedAt);
            insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = request.ToolCalls.Select(c => (object?)c.Id ?? DBNull.Value).ToArray(),
            });
            insert.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = request.ToolCalls.Select(c => c.Name).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("bytes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = request.ToolCalls.Select(c => Math.Max(0, c.ArgumentsBytes)).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);

            var ids = request.ToolCalls.Where(c => c.Id is not null).Select(c => c.Id!).ToList();
            await Application.ExecutionLinks.LinkLateAsync(
                connection, transaction, request.Caller.OrganizationId, request.RequestId, ids, completedAt, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Calls per tool name, most used first; <paramref name="from"/> inclusive, <paramref name="to"/> exclusive.</summary>
    public async Task<IReadOnlyList<ToolUsage>> GetUsageAsync(
        Guid organizationId, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT tool_name, count(*), count(DISTINCT request_id), coalesce(sum(arguments_bytes), 0), max(called_at)
            FROM mcp.tool_calls
            WHERE organization_id = @organization_id
              AND (@from::timestamptz IS NULL OR called_at >= @from::timestamptz)
              AND (@to::timestamptz IS NULL OR called_at < @to::timestamptz)
            GROUP BY tool_name
            ORDER BY count(*) DESC, tool_name
            """);
        command.Parameters.AddWithValue("organization_id", organizationId);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from is { } f ? AsUtc(f) : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to is { } t ? AsUtc(t) : DBNull.Value });

        var usage = new List<ToolUsage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            usage.Add(new ToolUsage(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDateTime(4)));
        }
        return usage;
    }

    /// <summary>Whether a request id has been consumed (tests and diagnostics).</summary>
    public async Task<bool> IsProcessedAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM mcp.processed_requests WHERE request_id = @id)");
        command.Parameters.AddWithValue("id", requestId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static DateTime AsUtc(DateTime at) => at.Kind switch
    {
        DateTimeKind.Utc => at,
        DateTimeKind.Local => at.ToUniversalTime(),
        _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
    };
}
