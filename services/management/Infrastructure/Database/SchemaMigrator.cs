using Npgsql;

namespace Requesty.Management.Infrastructure.Database;

/// <summary>
/// Applies pending <see cref="Migrations"/> in order, each in its own transaction together with its
/// schema_migrations row. A session advisory lock makes parallel starts of several instances safe:
/// the second waits, then finds nothing left to do.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLocks.Migrations})", cancellationToken);
        try
        {
            await Execute(connection, null, """
                CREATE SCHEMA IF NOT EXISTS management;
                CREATE TABLE IF NOT EXISTS management.schema_migrations (
                    version     integer     PRIMARY KEY,
                    name        text        NOT NULL,
                    applied_at  timestamptz NOT NULL
                );
                """, cancellationToken);

            var applied = new HashSet<int>();
            await using (var command = new NpgsqlCommand("SELECT version FROM management.schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
            }

            foreach (var migration in Migrations.All.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO management.schema_migrations (version, name, applied_at) VALUES (@v, @n, now())", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied management migration {Version}: {Name}", migration.Version, migration.Name);
            }
        }
        finally
        {
            // The connection goes back to the pool; a session lock would otherwise outlive us.
            await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLocks.Migrations})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
