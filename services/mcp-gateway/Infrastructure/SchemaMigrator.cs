using Npgsql;

namespace Requesty.McpGateway.Infrastructure;

/// <summary>One forward-only schema change; applied once, in version order.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the service's versioned migrations at start-up. A session-level pg_advisory_lock keyed
/// on the schema name serialises parallel starts (several replicas, parallel test hosts); each
/// migration runs in its own transaction together with its row in schema_migrations.
/// </summary>
public abstract class SchemaMigrator(NpgsqlDataSource dataSource, ILogger logger) : IHostedService
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(2);
    private const int ConnectAttempts = 30;

    protected abstract string Schema { get; }

    protected abstract IReadOnlyList<Migration> Migrations { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenWithRetryAsync(cancellationToken);
        var lockKey = $"{Schema}.migrations";
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(hashtext(@key))", cancellationToken, ("key", lockKey));
        try
        {
            await ExecuteAsync(connection, null, $"""
                CREATE SCHEMA IF NOT EXISTS {Schema};
                CREATE TABLE IF NOT EXISTS {Schema}.schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken);

            await using var versionCommand = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {Schema}.schema_migrations", connection);
            var current = (int)(await versionCommand.ExecuteScalarAsync(cancellationToken))!;

            foreach (var migration in Migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Schema}.schema_migrations (version, name) VALUES (@version, @name)",
                    cancellationToken, ("version", migration.Version), ("name", migration.Name));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Schema} v{Version} {Name}", Schema, migration.Version, migration.Name);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(hashtext(@key))", CancellationToken.None, ("key", lockKey));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
