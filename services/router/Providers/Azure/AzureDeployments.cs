using Requesty.Router.Catalog;

namespace Requesty.Router.Providers.Azure;

/// <summary>
/// Azure deployments have names of their own: Providers:azure:Deployments:{deployment}={OpenAI model}
/// adds azure/{deployment} to the catalogue, priced like openai/{model}.
/// </summary>
public static class AzureDeployments
{
    public static IEnumerable<CatalogModel> Read(IConfiguration configuration, IReadOnlyCollection<CatalogModel> known)
    {
        foreach (var deployment in configuration.GetSection("Providers:azure:Deployments").GetChildren())
        {
            var openAIModel = known.FirstOrDefault(m => string.Equals(m.Id, "openai/" + deployment.Value, StringComparison.OrdinalIgnoreCase));
            yield return (openAIModel ?? new CatalogModel
            {
                Id = "", Provider = "", UpstreamModel = "", Kind = ModelKind.Chat, Price = new(0m, 0m), SupportsTools = true,
            }) with
            {
                Id = $"{AzureOpenAIChatProvider.ProviderName}/{deployment.Key}",
                Provider = AzureOpenAIChatProvider.ProviderName,
                UpstreamModel = deployment.Key,
                Description = $"Azure OpenAI deployment of {deployment.Value}.",
            };
        }
    }
}
