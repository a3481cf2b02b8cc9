namespace Requesty.Router.Providers.Azure;

/// <summary>
/// Providers:azure:Endpoint (https://{resource}.openai.azure.com), :ApiKey, :ApiVersion; a model asked for
/// with a region suffix (azure/gpt-4o@swedencentral) uses Providers:azure:Regions:{region}:Endpoint and :ApiKey
/// when that region is configured.
/// </summary>
public sealed record AzureOpenAIOptions(string ApiVersion, IReadOnlyDictionary<string, AzureResource> Regions)
{
    public const string DefaultApiVersion = "2024-10-21";

    public static AzureOpenAIOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Providers:azure");
        var regions = section.GetSection("Regions").GetChildren()
            .Where(region => !string.IsNullOrEmpty(region["Endpoint"]))
            .ToDictionary(region => region.Key, region => new AzureResource(new Uri(region["Endpoint"]!), region["ApiKey"] ?? ""), StringComparer.OrdinalIgnoreCase);
        return new AzureOpenAIOptions(section["ApiVersion"] is { Length: > 0 } version ? version : DefaultApiVersion, regions);
    }
}

/// <summary>One Azure OpenAI resource: its endpoint and key.</summary>
public sealed record AzureResource(Uri Endpoint, string ApiKey);
