using Requesty.Router.Sync;

namespace Requesty.Router.Keys;

/// <summary>
/// Loads every key from management at start-up and re-reads the full set periodically.
/// Events make changes visible within about a second; this loop is the safety net.
/// </summary>
public sealed class KeySyncService(KeyCache cache, ManagementKeysClient management, IConfiguration configuration, ILogger<KeySyncService> logger)
    : PeriodicSnapshotSync(TimeSpan.FromSeconds(configuration.GetValue("Keys:ResyncSeconds", 30)), TimeSpan.FromSeconds(5), logger)
{
    protected override (string Snapshot, string Items) LogNames => ("Key", "keys");

    protected override async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var keys = await management.GetAllAsync(cancellationToken);
        cache.ReplaceAll(keys.ToList());
        return keys.Count;
    }
}
