using Requesty.Router.Sync;

namespace Requesty.Router.Byok;

/// <summary>Loads every own key from management at start-up and re-reads the set periodically; events carry changes within about a second.</summary>
public sealed class ByokSyncService(OwnKeyRing ring, ManagementByokClient management, IConfiguration configuration, ILogger<ByokSyncService> logger)
    : PeriodicSnapshotSync(TimeSpan.FromSeconds(configuration.GetValue("Byok:ResyncSeconds", 30)), TimeSpan.FromSeconds(30), logger)
{
    protected override (string Snapshot, string Items) LogNames => ("Own key", "own keys");

    protected override async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var keys = await management.GetAllAsync(cancellationToken);
        ring.ReplaceAll(keys.ToList());
        return keys.Count;
    }
}
