using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Infrastructure.Schema;

/// <summary>
/// Applies <see cref="Migration"/>s in version order and records each in <c>schema_migrations</c>.
/// Running it again (or from several instances) is harmless: applied versions are skipped and
/// every step is itself idempotent.
/// </summary>
public sealed class ClickHouseMigrator(ClickHouseClient clickHouse, ILogger<ClickHouseMigrator> logger)
{
    public async Task<IReadOnlyList<uint>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken);
        await clickHouse.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations
            (
                version UInt32,
                name String,
                applied_at DateTime('UTC')
            )
            ENGINE = ReplacingMergeTree(applied_at)
            ORDER BY version
            """, cancellationToken);

        var applied = (await AppliedVersionsAsync(cancellationToken)).ToHashSet();
        var newlyApplied = new List<uint>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version)) continue;
            logger.LogInformation("Applying ClickHouse migration {Version} ({Name})", migration.Version, migration.Name);
            foreach (var step in migration.Steps) await ApplyAsync(step, cancellationToken);
            await clickHouse.ExecuteAsync(
                $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({migration.Version}, {SqlLiteral.String(migration.Name)}, {SqlLiteral.DateTime(DateTime.UtcNow)})",
                cancellationToken);
            newlyApplied.Add(migration.Version);
        }
        return newlyApplied;
    }

    public async Task<IReadOnlyList<uint>> AppliedVersionsAsync(CancellationToken cancellationToken)
    {
        var rows = await clickHouse.QueryAsync(
            "SELECT DISTINCT version FROM schema_migrations ORDER BY version", SchemaJsonContext.Default.VersionRow, cancellationToken);
        return rows.Select(r => r.Version).ToList();
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var found = await clickHouse.QueryAsync(
            $"SELECT count() AS count FROM system.databases WHERE name = {SqlLiteral.String(clickHouse.Database)}",
            SchemaJsonContext.Default.CountRow, cancellationToken, withoutDatabase: true);
        if (found is [{ Count: > 0 }]) return;
        await clickHouse.ExecuteAsync(
            $"CREATE DATABASE IF NOT EXISTS {SqlLiteral.Identifier(clickHouse.Database)}", cancellationToken, withoutDatabase: true);
    }

    private async Task ApplyAsync(MigrationStep step, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case SqlStep sql:
                await clickHouse.ExecuteAsync(sql.Sql, cancellationToken);
                break;
            case AddColumnIfMissing add:
                var existing = await clickHouse.QueryAsync(
                    $"SELECT count() AS count FROM system.columns WHERE database = {SqlLiteral.String(clickHouse.Database)} " +
                    $"AND table = {SqlLiteral.String(add.Table)} AND name = {SqlLiteral.String(add.Column)}",
                    SchemaJsonContext.Default.CountRow, cancellationToken);
                if (existing is [{ Count: > 0 }]) return;
                await clickHouse.ExecuteAsync(
                    $"ALTER TABLE {SqlLiteral.Identifier(add.Table)} ADD COLUMN {SqlLiteral.Identifier(add.Column)} {add.TypeAndDefault}",
                    cancellationToken);
                break;
            default:
                throw new NotSupportedException($"Unknown migration step {step.GetType().Name}.");
        }
    }
}

internal sealed record VersionRow([property: JsonPropertyName("version")] uint Version);

internal sealed record CountRow([property: JsonPropertyName("count")] ulong Count);

[JsonSerializable(typeof(VersionRow))]
[JsonSerializable(typeof(CountRow))]
internal sealed partial class SchemaJsonContext : JsonSerializerContext;
