using Microsoft.Extensions.Hosting;

namespace Requesty.ServiceDefaults;

/// <summary>Migrates the service's schema at start-up; a failure stops the service from starting.</summary>
internal sealed class SchemaMigrationService(PostgresSchemaMigrator migrator, PostgresSchema schema) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(schema, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
