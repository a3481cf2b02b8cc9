namespace Requesty.Router.Providers.Vertex;

public static class VertexRegistration
{
    /// <summary>The Vertex AI chat provider and its access-token source (see <see cref="VertexOptions"/> for configuration).</summary>
    public static IServiceCollection AddVertexProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(VertexOptions.From(configuration));
        services.AddProviderHttpClient(VertexChatProvider.HttpClientName);
        services.AddHttpClient(VertexAccessTokens.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<VertexAccessTokens>();
        services.AddSingleton<IChatCompletionsProvider, VertexChatProvider>();
        return services;
    }
}
