using System.Text.Json;

namespace Requesty.Router.Catalog;

/// <summary>
/// Loads the model catalogue from its data file: the embedded Catalog/models.json, or the file named by
/// Catalog:File, which replaces it. A file that does not validate stops the start-up with a message naming
/// the entry and the field.
/// </summary>
public static class CatalogFile
{
    public const string ResourceName = "Requesty.Router.Catalog.models.json";

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "chat", "embedding", "image" };

    public static readonly IReadOnlySet<string> Capabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "vision", "tools", "reasoning", "caching", "pdf", "web_search", "image_output", "embeddings", "streaming",
    };

    /// <summary>The catalogue the router serves: Catalog:File when configured, else the built-in list.</summary>
    public static IReadOnlyList<CatalogModel> Load(IConfiguration configuration) =>
        configuration["Catalog:File"] is { Length: > 0 } path ? LoadFile(path) : BuiltInModels.All;

    public static IReadOnlyList<CatalogModel> LoadFile(string path)
    {
        if (!File.Exists(path)) throw new CatalogFileException($"Model catalogue file '{path}' (Catalog:File) does not exist.");
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    internal static IReadOnlyList<CatalogModel> LoadEmbedded()
    {
        using var stream = typeof(CatalogFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new CatalogFileException($"The embedded model catalogue '{ResourceName}' is missing from the router assembly.");
        return Parse(stream, "Catalog/models.json");
    }

    public static IReadOnlyList<CatalogModel> Parse(Stream json, string source)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, CatalogFileJsonContext.Default.CatalogDocument);
        }
        catch (JsonException e)
        {
            throw new CatalogFileException($"Model catalogue {source} is not valid: {e.Message}");
        }
        if (document is null) throw new CatalogFileException($"Model catalogue {source} is empty.");

        var models = new List<CatalogModel>(document.Models.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < document.Models.Count; i++)
        {
            var model = ToModel(document.Models[i], $"{source}: models[{i}]");
            if (!seen.Add(model.Id)) throw new CatalogFileException($"{source}: models[{i}]: duplicate id '{model.Id}'.");
            models.Add(model);
        }
        return models;
    }

    private static CatalogModel ToModel(CatalogEntry entry, string where)
    {
        if (entry.Id is not { Length: > 0 } id || !id.Contains('/')) throw Invalid(where, "id", "must be 'provider/model'");
        where = $"{where} ('{id}')";
        var provider = entry.Provider is { Length: > 0 } p ? p : throw Invalid(where, "provider", "is required");
        var upstream = entry.UpstreamModel is { Length: > 0 } u ? u : throw Invalid(where, "upstream_model", "is required");
        var kind = entry.Kind is { } k && Kinds.Contains(k)
            ? Enum.Parse<ModelKind>(k, ignoreCase: true)
            : throw Invalid(where, "kind", $"'{entry.Kind}' is unknown; use one of {string.Join(", ", Kinds)}");
        if (entry.Capabilities.FirstOrDefault(c => !Capabilities.Contains(c)) is { } unknown)
            throw Invalid(where, "capabilities", $"'{unknown}' is unknown; use any of {string.Join(", ", Capabilities)}");
        if (entry.ContextWindow < 0) throw Invalid(where, "context_window", "must not be negative");
        if (entry.MaxOutputTokens < 0) throw Invalid(where, "max_output_tokens", "must not be negative");
        var prices = entry.Prices ?? throw Invalid(where, "prices", "are required");
        NotNegative(where, "prices.input", prices.Input);
        NotNegative(where, "prices.output", prices.Output);
        NotNegative(where, "prices.cache_read", prices.CacheRead);
        NotNegative(where, "prices.cache_write", prices.CacheWrite);
        if (prices.Reasoning is { } reasoning) NotNegative(where, "prices.reasoning", reasoning);
        var imagePrices = new List<ImagePrice>(entry.ImagePrices.Count);
        for (var i = 0; i < entry.ImagePrices.Count; i++)
        {
            var image = entry.ImagePrices[i];
            var field = $"image_prices[{i}]";
            if (image.Quality is not { Length: > 0 } quality) throw Invalid(where, field + ".quality", "is required");
            if (image.Size is not { Length: > 0 } size) throw Invalid(where, field + ".size", "is required");
            NotNegative(where, field + ".per_image", image.PerImage);
            imagePrices.Add(new ImagePrice(quality, size, image.PerImage));
        }

        bool Has(string capability) => entry.Capabilities.Contains(capability);
        return new CatalogModel
        {
            Id = id,
            Provider = provider,
            UpstreamModel = upstream,
            Kind = kind,
            Price = new ModelPrice(prices.Input, prices.Output, prices.CacheRead, prices.CacheWrite, prices.Reasoning),
            ContextWindow = entry.ContextWindow,
            MaxOutputTokens = entry.MaxOutputTokens,
            Region = entry.Region is { Length: > 0 } region ? region : "us",
            Description = entry.Description,
            ImagePrices = imagePrices,
            SupportsVision = Has("vision"),
            SupportsTools = Has("tools"),
            SupportsReasoning = Has("reasoning"),
            SupportsCaching = Has("caching"),
            SupportsPdf = Has("pdf"),
            SupportsWebSearch = Has("web_search"),
            SupportsImageOutput = Has("image_output"),
            SupportsEmbeddings = Has("embeddings"),
            SupportsStreaming = Has("streaming"),
        };
    }

    private static void NotNegative(string where, string field, decimal value)
    {
        if (value < 0m) throw Invalid(where, field, $"must not be negative (got {value})");
    }

    private static CatalogFileException Invalid(string where, string field, string problem) => new($"{where}: {field} {problem}.");
}

/// <summary>The model catalogue file is missing or invalid; the router refuses to start.</summary>
public sealed class CatalogFileException(string message) : Exception(message);
