using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Requesty.Router.Byok;

/// <summary>Ready once management's own-key snapshot is loaded (byok policy entries would otherwise be skipped).</summary>
public sealed class OwnKeysLoadedHealthCheck(OwnKeyRing ring) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ring.IsLoaded
            ? HealthCheckResult.Healthy($"{ring.Count} own keys loaded")
            : HealthCheckResult.Unhealthy("own-key snapshot from management not loaded yet"));
}
