using Requesty.Router.Catalog;
using Requesty.Router.Providers.Azure;
using Requesty.Router.Providers.Bedrock;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers.OpenAICompatible;

/// <summary>The providers beyond OpenAI, Anthropic and Google, and the catalogue entries configuration adds for them.</summary>
public static class MoreProvidersRegistration
{
    public static IServiceCollection AddMoreChatProviders(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var profile in OpenAICompatibleProfile.All(configuration))
        {
            services.AddProviderHttpClient(OpenAICompatibleChatProvider.HttpClientNameFor(profile.Name));
            services.AddSingleton<IChatCompletionsProvider>(sp => new OpenAICompatibleChatProvider(
                profile, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<OpenAIStreamRelay>(), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddProviderHttpClient(OpenAICompatibleChatProvider.HttpClientNameFor(AzureOpenAIChatProvider.ProviderName));
        services.AddSingleton(AzureOpenAIOptions.From(configuration));
        services.AddSingleton<IChatCompletionsProvider, AzureOpenAIChatProvider>();

        services.AddProviderHttpClient(BedrockChatProvider.HttpClientName);
        services.AddSingleton(BedrockOptions.From(configuration));
        services.AddSingleton<BedrockStreamTranslator>();
        services.AddSingleton<IChatCompletionsProvider, BedrockChatProvider>();
        return services;
    }

    /// <summary>The built-in models plus the ones configuration adds; a configured entry replaces a built-in one with the same id.</summary>
    public static IReadOnlyList<CatalogModel> WithConfiguredModels(this IReadOnlyList<CatalogModel> builtIn, IConfiguration configuration)
    {
        var models = builtIn.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var model in ConfiguredModels.Read(configuration).Concat(AzureDeployments.Read(configuration, builtIn)))
        {
            models[model.Id] = model;
        }
        return [.. models.Values];
    }
}
