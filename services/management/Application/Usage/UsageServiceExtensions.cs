namespace Requesty.Management.Application.Usage;

public static class UsageServiceExtensions
{
    /// <summary>API key usage from the analytics service (Analytics:Url, Analytics:TimeoutSeconds, Internal:Token).</summary>
    public static IServiceCollection AddKeyUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient<AnalyticsUsageClient>(http => AnalyticsUsageClient.Configure(http, configuration));
        services.AddTransient<KeyUsageService>();
        return services;
    }
}
