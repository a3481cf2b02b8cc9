using Requesty.Management.Application.Bootstrap;
using Requesty.Management.Infrastructure.Database;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Application.Startup;

/// <summary>
/// Runs before the web server and the bus start (registered first): migrate the schema, then
/// bootstrap the admin organisation and key. A failure here stops the service from starting.
/// </summary>
public sealed class DatabaseStartup(PostgresSchemaMigrator migrator, AdminBootstrapper bootstrapper, StartupGate gate) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(ManagementSchema.Definition, cancellationToken);
        await bootstrapper.RunAsync(cancellationToken);
        gate.Open();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
