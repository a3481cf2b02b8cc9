using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Requesty.Router.Routing;

/// <summary>The router is ready once it holds management's policy snapshot ("policy/x" would otherwise answer 404).</summary>
public sealed class PoliciesLoadedHealthCheck(PolicyCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cache.IsLoaded
            ? HealthCheckResult.Healthy($"{cache.Count} policies loaded")
            : HealthCheckResult.Unhealthy("policy snapshot from management not loaded yet"));
}
