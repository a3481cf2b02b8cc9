using System.Text.Json.Serialization;

namespace Requesty.Router.Catalog;

/// <summary>The shape of models.json (snake_case); read only by <see cref="CatalogFile"/>.</summary>
public sealed class CatalogDocument
{
    public List<CatalogEntry> Models { get; set; } = [];
}

public sealed class CatalogEntry
{
    public string? Id { get; set; }
    public string? Provider { get; set; }
    public string? UpstreamModel { get; set; }
    public string? Kind { get; set; }
    public string? Region { get; set; }
    public string? Description { get; set; }
    public int ContextWindow { get; set; }
    public int MaxOutputTokens { get; set; }
    public List<string> Capabilities { get; set; } = [];
    public CatalogPrices? Prices { get; set; }
    public List<CatalogImagePrice> ImagePrices { get; set; } = [];
}

public sealed class CatalogPrices
{
    public decimal Input { get; set; }
    public decimal Output { get; set; }
    public decimal CacheRead { get; set; }
    public decimal CacheWrite { get; set; }
    public decimal? Reasoning { get; set; }
}

public sealed class CatalogImagePrice
{
    public string? Quality { get; set; }
    public string? Size { get; set; }
    public decimal PerImage { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogFileJsonContext : JsonSerializerContext;
