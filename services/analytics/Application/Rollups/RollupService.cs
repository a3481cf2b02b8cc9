using Microsoft.Extensions.Options;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Infrastructure.Schema;

namespace Requesty.Analytics.Application.Rollups;

/// <summary>Runs <see cref="HourlyRollup"/> every interval once the schema is ready; a failed roll is retried next interval.</summary>
public sealed class RollupService(IServiceProvider services, SchemaReadiness schema, IOptions<RollupOptions> options, ILogger<RollupService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        if (interval <= TimeSpan.Zero) return;
        while (!schema.IsReady) await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<HourlyRollup>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or ClickHouseException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Hourly rollup failed; retrying in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
