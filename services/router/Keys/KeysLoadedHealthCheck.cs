using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Requesty.Router.Keys;

/// <summary>The router is ready once it holds management's key snapshot.</summary>
public sealed class KeysLoadedHealthCheck(KeyCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cache.IsLoaded
            ? HealthCheckResult.Healthy($"{cache.Count} keys loaded")
            : HealthCheckResult.Unhealthy("key snapshot from management not loaded yet"));
}
