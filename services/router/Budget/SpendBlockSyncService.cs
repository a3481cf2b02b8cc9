using Requesty.Router.Sync;

namespace Requesty.Router.Budget;

/// <summary>
/// Loads the current blocks from management at start-up and re-reads them periodically as a safety net
/// (Budget:ResyncSeconds, default 30); events make changes visible within about a second.
/// </summary>
public sealed class SpendBlockSyncService(SpendBlockSet blocks, ManagementSpendBlocksClient management, IConfiguration configuration, ILogger<SpendBlockSyncService> logger)
    : PeriodicSnapshotSync(TimeSpan.FromSeconds(configuration.GetValue("Budget:ResyncSeconds", 30)), TimeSpan.FromSeconds(30), logger)
{
    protected override (string Snapshot, string Items) LogNames => ("Spend block", "blocks");

    protected override async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var mark = blocks.Mark();
        var snapshot = await management.GetAllAsync(cancellationToken);
        blocks.ReplaceAll(snapshot.ToList(), mark);
        return snapshot.Count;
    }
}
