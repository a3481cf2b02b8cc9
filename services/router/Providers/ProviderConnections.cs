using System.Net;

namespace Requesty.Router.Providers;

public static class ProviderConnections
{
    /// <summary>
    /// A named client per provider over its own pooled handler; no client-level timeout (streams are long).
    /// No per-request logging handlers: their scope and log calls cost on every upstream call (failures are logged by the dispatcher).
    /// </summary>
    public static void AddProviderHttpClient(this IServiceCollection services, string name) =>
        services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

    /// <summary>Long-lived pooled connections (recycled every few minutes so DNS changes are seen).</summary>
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.All,
        EnableMultipleHttp2Connections = true,
        // Provider APIs do not redirect; following one would resend the provider key to wherever it points.
        AllowAutoRedirect = false,
    };
}
