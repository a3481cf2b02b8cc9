using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Infrastructure.Schema;

/// <summary>
/// Migrates the schema at start-up without blocking it: if ClickHouse is not reachable yet the
/// service still starts (liveness stays green, readiness red) and keeps trying with backoff.
/// </summary>
public sealed class SchemaMigrationService(
    IServiceProvider services, SchemaReadiness readiness, ILogger<SchemaMigrationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var migrator = scope.ServiceProvider.GetRequiredService<ClickHouseMigrator>();
                var applied = await migrator.MigrateAsync(AnalyticsMigrations.All, stoppingToken);
                logger.LogInformation("ClickHouse schema up to date ({Count} migrations applied now)", applied.Count);
                readiness.MarkReady();
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or ClickHouseException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "ClickHouse migrations failed; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
