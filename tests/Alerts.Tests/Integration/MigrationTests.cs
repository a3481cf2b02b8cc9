using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Requesty.Alerts.Infrastructure;
using Requesty.ServiceDefaults;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class MigrationTests
{
    [Fact]
    public async Task Parallel_starts_apply_each_migration_exactly_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        var migrators = Enumerable.Range(0, 3)
            .Select(_ => new PostgresSchemaMigrator(dataSource, NullLogger<PostgresSchemaMigrator>.Instance))
            .ToList();

        await Task.WhenAll(migrators.Select(m => m.MigrateAsync(AlertsSchema.Definition, CancellationToken.None)));

        await using var command = dataSource.CreateCommand("SELECT version, count(*) FROM alerts.schema_migrations GROUP BY version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<(int Version, long Count)>();
        while (await reader.ReadAsync()) versions.Add((reader.GetInt32(0), reader.GetInt64(1)));
        Assert.Equal([(1, 1L), (2, 1L), (3, 1L)], versions);
    }
}
