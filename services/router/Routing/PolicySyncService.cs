using Requesty.Router.Sync;

namespace Requesty.Router.Routing;

/// <summary>
/// Loads every policy from management at start-up and re-reads the full set periodically as a
/// safety net; events make changes visible within about a second.
/// </summary>
public sealed class PolicySyncService(PolicyCache cache, ManagementPoliciesClient management, IConfiguration configuration, ILogger<PolicySyncService> logger)
    : PeriodicSnapshotSync(TimeSpan.FromSeconds(configuration.GetValue("Policies:ResyncSeconds", 30)), TimeSpan.FromSeconds(30), logger)
{
    protected override (string Snapshot, string Items) LogNames => ("Policy", "policies");

    protected override async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var policies = await management.GetAllAsync(cancellationToken);
        cache.ReplaceAll(policies.ToList());
        return policies.Count;
    }
}
