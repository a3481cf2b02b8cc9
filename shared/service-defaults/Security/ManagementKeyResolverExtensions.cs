using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Requesty.ServiceDefaults;

public static class ManagementKeyResolverExtensions
{
    public const string ManagementUrlKey = "Management:Url";

    /// <summary>
    /// Registers <see cref="ManagementKeyResolver"/> (singleton) against management at Management:Url
    /// (else <paramref name="defaultManagementUrl"/>); configure TTLs and timeout on the returned builder.
    /// </summary>
    public static OptionsBuilder<ManagementKeyResolverOptions> AddManagementKeyResolver(this IServiceCollection services, string defaultManagementUrl)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(ManagementKeyResolver.HttpClientName, (provider, http) =>
        {
            var url = provider.GetRequiredService<IConfiguration>()[ManagementUrlKey] ?? defaultManagementUrl;
            http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            http.Timeout = Timeout.InfiniteTimeSpan; // ManagementKeyResolverOptions.RequestTimeout bounds each lookup
        });
        services.TryAddSingleton<ManagementKeyResolver>();
        return services.AddOptions<ManagementKeyResolverOptions>();
    }
}
