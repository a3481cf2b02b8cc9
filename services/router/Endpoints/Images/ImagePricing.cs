using Requesty.Router.Catalog;

namespace Requesty.Router.Endpoints.Images;

/// <summary>
/// Per-image prices of models billed per image (dall-e). Token-billed image models (gpt-image)
/// have no per-image prices; their cost comes from the usage like any other model.
/// </summary>
public static class ImagePricing
{
    public static bool IsPerImage(CatalogModel model) => model.ImagePrices.Count > 0;

    /// <summary>The price of one image of this quality and size; omitted or "auto" values take the model's defaults (its first entry).</summary>
    public static ImagePrice? Find(CatalogModel model, string? quality, string? size)
    {
        if (model.ImagePrices.Count == 0) return null;
        var defaults = model.ImagePrices[0];
        var wantedQuality = quality is null or "auto" ? defaults.Quality : quality;
        var wantedSize = size is null or "auto" ? defaults.Size : size;
        return model.ImagePrices.FirstOrDefault(p =>
            string.Equals(p.Quality, wantedQuality, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Size, wantedSize, StringComparison.OrdinalIgnoreCase));
    }

    public static bool OffersQuality(CatalogModel model, string? quality) =>
        quality is null or "auto" || model.ImagePrices.Any(p => string.Equals(p.Quality, quality, StringComparison.OrdinalIgnoreCase));

    public static string Offered(CatalogModel model) =>
        string.Join(", ", model.ImagePrices.Select(p => $"{p.Quality} {p.Size}"));
}
