using Microsoft.Extensions.Logging.Abstractions;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Infrastructure.Schema;
using Requesty.Analytics.Tests.Support;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>Each test migrates a fresh, throw-away database so it sees the real first run.</summary>
public class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_is_a_no_op()
    {
        await WithScratchDatabaseAsync(async client =>
        {
            var migrator = new ClickHouseMigrator(client, NullLogger<ClickHouseMigrator>.Instance);

            var first = await migrator.MigrateAsync(AnalyticsMigrations.All, CancellationToken.None);
            var second = await migrator.MigrateAsync(AnalyticsMigrations.All, CancellationToken.None);

            Assert.Equal(AnalyticsMigrations.All.Select(m => m.Version), first);
            Assert.Empty(second);
            Assert.Equal(AnalyticsMigrations.All.Select(m => m.Version), await migrator.AppliedVersionsAsync(CancellationToken.None));
            var rows = await client.QueryAsync("SELECT count() AS count FROM schema_migrations", TestJsonContext.Default.CountResult, CancellationToken.None);
            Assert.Equal((ulong)AnalyticsMigrations.All.Count, rows.Single().Count);
            var tables = await client.QueryAsync(
                $"SELECT name FROM system.tables WHERE database = {SqlLiteral.String(client.Database)} ORDER BY name",
                TestJsonContext.Default.NameRow, CancellationToken.None);
            Assert.Equal(["latency_daily", "latency_daily_quantiles", "mcp_tool_calls", "request_feedback", "requests", "requests_hourly", "rollup_runs", "schema_migrations", "tool_calls"], tables.Select(t => t.Name));
        });
    }

    [Fact]
    public async Task Steps_are_idempotent_when_a_migration_is_replayed()
    {
        await WithScratchDatabaseAsync(async client =>
        {
            var migrator = new ClickHouseMigrator(client, NullLogger<ClickHouseMigrator>.Instance);
            await migrator.MigrateAsync(AnalyticsMigrations.All, CancellationToken.None);
            var addColumn = new Migration(1000, "add feedback score", [new AddColumnIfMissing("requests", "feedback_score", "Nullable(Float64)")]);

            await migrator.MigrateAsync([.. AnalyticsMigrations.All, addColumn], CancellationToken.None);
            // As after a crash between a step and its bookkeeping row: every step runs again and must not fail.
            var replay = new Migration(1001, "replay", [.. AnalyticsMigrations.All.SelectMany(m => m.Steps), .. addColumn.Steps]);
            await migrator.MigrateAsync([.. AnalyticsMigrations.All, addColumn, replay], CancellationToken.None);

            var columns = await client.QueryAsync(
                $"SELECT name FROM system.columns WHERE database = {SqlLiteral.String(client.Database)} AND table = 'requests' AND name = 'feedback_score'",
                TestJsonContext.Default.NameRow, CancellationToken.None);
            Assert.Single(columns);
            Assert.Contains(1001u, await migrator.AppliedVersionsAsync(CancellationToken.None));
        });
    }

    private static async Task WithScratchDatabaseAsync(Func<ClickHouseClient, Task> test)
    {
        var client = ClickHouseClientTests.CreateClient($"requesty_test_mig_{Guid.NewGuid():N}");
        try
        {
            await test(client);
        }
        finally
        {
            await client.ExecuteAsync($"DROP DATABASE IF EXISTS {client.Database}", CancellationToken.None, withoutDatabase: true);
        }
    }
}
