namespace Requesty.Router.Keys;

/// <summary>
/// Loads every key from management at start-up (retrying until management answers) and
/// re-reads the full set periodically, which repairs anything a missed event left stale.
/// Events make changes visible within about a second; this loop is the safety net.
/// </summary>
public sealed class KeySyncService(KeyCache cache, ManagementKeysClient management, IConfiguration configuration, ILogger<KeySyncService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resyncEvery = TimeSpan.FromSeconds(configuration.GetValue("Keys:ResyncSeconds", 30));
        var retryDelay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var keys = await management.GetAllAsync(stoppingToken);
                cache.ReplaceAll(keys.ToList());
                logger.LogDebug("Key snapshot loaded: {Count} keys", keys.Count);
                retryDelay = TimeSpan.FromMilliseconds(250);
                await Task.Delay(resyncEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Key snapshot from management failed ({Message}); retrying in {Delay}", ex.Message, retryDelay);
                await Task.Delay(retryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                retryDelay = TimeSpan.FromMilliseconds(Math.Min(retryDelay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
