using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>SQL helpers shared by the identity projections (users, groups, service accounts, projects).</summary>
internal static class IdentityProjectionCommands
{
    public static NpgsqlParameter Nullable(string name, object? value, NpgsqlDbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };

    public static async Task ExecuteAsync(
        string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sets <paramref name="assignment"/> plus updated_at/version on the stream's row; the row must exist.</summary>
    public static async Task UpdateAsync(
        string table, StoredEvent @event, string assignment, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {table} SET {assignment}, updated_at = @at, version = @version WHERE id = @id", connection, transaction);
        command.Parameters.AddRange(parameters);
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        command.Parameters.AddWithValue("id", @event.StreamId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            throw new InvalidOperationException($"{table} row {@event.StreamId} missing while applying {@event.EventType}.");
    }
}
