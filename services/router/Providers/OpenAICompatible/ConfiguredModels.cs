using System.Globalization;
using Requesty.Router.Catalog;

namespace Requesty.Router.Providers.OpenAICompatible;

/// <summary>
/// Chat models added to the catalogue by configuration, for providers added by configuration (or more
/// models of a built-in one). Under Providers:{provider}:Models, either a list of names
/// (Models:0=llama3.1:8b, free of charge) or entries with prices (Models:0:Name=..., :InputPerMillion,
/// :OutputPerMillion, :CacheReadPerMillion, :ContextWindow, :UpstreamModel). An entry's key is its name
/// when it has no Name (Models:qwen3=), which suits names without ':'.
/// </summary>
public static class ConfiguredModels
{
    public static IEnumerable<CatalogModel> Read(IConfiguration configuration)
    {
        foreach (var provider in configuration.GetSection("Providers").GetChildren())
        {
            var providerName = provider.Key.ToLowerInvariant();
            foreach (var entry in provider.GetSection("Models").GetChildren())
            {
                if (ModelName(entry) is not { Length: > 0 } name) continue;
                yield return new CatalogModel
                {
                    Id = $"{providerName}/{name}",
                    Provider = providerName,
                    UpstreamModel = entry["UpstreamModel"] ?? name,
                    Kind = ModelKind.Chat,
                    Price = new ModelPrice(Decimal(entry["InputPerMillion"]), Decimal(entry["OutputPerMillion"]), Decimal(entry["CacheReadPerMillion"])),
                    ContextWindow = int.TryParse(entry["ContextWindow"], CultureInfo.InvariantCulture, out var context) ? context : 0,
                    SupportsTools = true,
                    Description = "Added by configuration.",
                };
            }
        }
    }

    private static string? ModelName(IConfigurationSection entry)
    {
        if (entry["Name"] is { Length: > 0 } name) return name;
        var isListItem = int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        return isListItem ? entry.Value : entry.Key;
    }

    private static decimal Decimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0m;
}
