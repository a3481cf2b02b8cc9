using Requesty.ServiceDefaults;

namespace Requesty.Router.Byok;

public static class ByokServiceExtensions
{
    /// <summary>Own provider keys (BYOK): decrypted in memory from management's snapshot and ByokKeyChanged events.</summary>
    public static IServiceCollection AddByok(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ByokKeyOpener>();
        services.AddSingleton<OwnKeyRing>();
        services.AddHttpClient<ManagementByokClient>(http => ManagementByokClient.Configure(http, configuration));
        services.AddHostedService<ByokSyncService>();
        services.AddHealthChecks().AddCheck<OwnKeysLoadedHealthCheck>("byok", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
