namespace Requesty.Router.Sync;

/// <summary>
/// Loads a full snapshot from management at start-up (retrying with a doubling delay until management
/// answers) and re-reads it periodically, which repairs anything a missed event left stale.
/// </summary>
public abstract class PeriodicSnapshotSync(TimeSpan resyncEvery, TimeSpan maxRetryDelay, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>What is loaded, for the logs: ("Key", "keys"), ("Policy", "policies").</summary>
    protected abstract (string Snapshot, string Items) LogNames { get; }

    /// <summary>Reads the snapshot and replaces the cache with it; returns how many items it held.</summary>
    protected abstract Task<int> LoadAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await LoadAsync(stoppingToken);
                logger.LogDebug("{Snapshot} snapshot loaded: {Count} {Items}", LogNames.Snapshot, count, LogNames.Items);
                retryDelay = FirstRetryDelay;
                await Task.Delay(resyncEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Snapshot} snapshot from management failed ({Message}); retrying in {Delay}", LogNames.Snapshot, ex.Message, retryDelay);
                await Task.Delay(retryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                retryDelay = TimeSpan.FromMilliseconds(Math.Min(retryDelay.TotalMilliseconds * 2, maxRetryDelay.TotalMilliseconds));
            }
        }
    }
}
