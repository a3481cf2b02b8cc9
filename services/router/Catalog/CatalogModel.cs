namespace Requesty.Router.Catalog;

/// <summary>A model the router can serve, addressed as "provider/model".</summary>
public sealed record CatalogModel
{
    public required string Id { get; init; }
    public required string Provider { get; init; }
    /// <summary>The model name the provider's API expects.</summary>
    public required string UpstreamModel { get; init; }
    public required ModelKind Kind { get; init; }
    public required ModelPrice Price { get; init; }
    public int ContextWindow { get; init; }
    public int MaxOutputTokens { get; init; }
    public bool SupportsTools { get; init; }
    public bool SupportsVision { get; init; }
    public bool SupportsReasoning { get; init; }
    public bool SupportsStreaming { get; init; } = true;
    public bool SupportsCaching { get; init; }
    public bool SupportsPdf { get; init; }
    public bool SupportsWebSearch { get; init; }
    public bool SupportsImageOutput { get; init; }
    public bool SupportsEmbeddings { get; init; }
    public string Region { get; init; } = "us";
    public string? Description { get; init; }
    /// <summary>Per-image list prices for models billed per image (dall-e); the first entry gives the default quality and size.</summary>
    public IReadOnlyList<ImagePrice> ImagePrices { get; init; } = [];
}

public enum ModelKind
{
    Chat,
    Embedding,
    Image,
}

/// <summary>USD per million tokens; ReasoningPerMillion only where a provider bills reasoning apart from output (null = as output).</summary>
public sealed record ModelPrice(
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal CacheReadPerMillion = 0m,
    decimal CacheWritePerMillion = 0m,
    decimal? ReasoningPerMillion = null);

/// <summary>USD for one generated image of a quality and size.</summary>
public sealed record ImagePrice(string Quality, string Size, decimal PerImage);
