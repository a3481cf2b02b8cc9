using Requesty.ServiceDefaults;

namespace Requesty.Router.Routing;

public static class RoutingServiceExtensions
{
    /// <summary>Routing policies: cache filled from management, kept fresh by policy events, and the planner over it.</summary>
    public static IServiceCollection AddRoutingPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(RoutingOptions.From(configuration));
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<LatencyTracker>();
        services.AddSingleton(sp => new RoutePlanner(sp.GetRequiredService<PolicyCache>(), sp.GetRequiredService<LatencyTracker>(), Random.Shared.NextDouble));
        services.AddSingleton(new RetryBackoff());
        services.AddHttpClient<ManagementPoliciesClient>(http => ManagementPoliciesClient.Configure(http, configuration));
        services.AddHostedService<PolicySyncService>();
        services.AddHealthChecks().AddCheck<PoliciesLoadedHealthCheck>("policies", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
