using Microsoft.Extensions.Logging;
using Npgsql;

namespace Requesty.ServiceDefaults;

/// <summary>
/// Applies a schema's pending migrations, each in its own transaction together with its row in
/// {schema}.schema_migrations. A session-level pg_advisory_lock keyed on the schema name
/// serialises parallel starts (several replicas, parallel test hosts): the second waits, then
/// finds nothing left to do. Waits for PostgreSQL while it is not reachable yet (container start).
/// </summary>
public sealed class PostgresSchemaMigrator(NpgsqlDataSource dataSource, ILogger<PostgresSchemaMigrator> logger)
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(2);
    private const int ConnectAttempts = 30;

    /// <returns>The versions applied by this call, in order.</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(PostgresSchema schema, CancellationToken cancellationToken)
    {
        var name = schema.Name;
        var lockKey = $"{name}.migrations";
        await using var connection = await OpenWithRetryAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(hashtext(@key))", cancellationToken, ("key", lockKey));
        try
        {
            await ExecuteAsync(connection, null, $"""
                CREATE SCHEMA IF NOT EXISTS {name};
                CREATE TABLE IF NOT EXISTS {name}.schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken);

            var alreadyApplied = await AppliedVersionsAsync(connection, name, cancellationToken);
            var appliedNow = new List<int>();
            foreach (var migration in schema.Migrations.Where(m => !alreadyApplied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                // applied_at is given explicitly: older schema_migrations tables have no default.
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {name}.schema_migrations (version, name, applied_at) VALUES (@version, @name, now())",
                    cancellationToken, ("version", migration.Version), ("name", migration.Name));
                await transaction.CommitAsync(cancellationToken);
                appliedNow.Add(migration.Version);
                logger.LogInformation("Applied migration {Schema} v{Version} {Name}", name, migration.Version, migration.Name);
            }
            return appliedNow;
        }
        finally
        {
            // The connection goes back to the pool; a session lock would otherwise outlive us.
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(hashtext(@key))", CancellationToken.None, ("key", lockKey));
        }
    }

    private async Task<NpgsqlConnection> OpenWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException ex) when (attempt < ConnectAttempts)
            {
                logger.LogWarning("PostgreSQL not reachable yet (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(ConnectRetryDelay, cancellationToken);
            }
        }
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (parameter, value) in parameters) command.Parameters.AddWithValue(parameter, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
