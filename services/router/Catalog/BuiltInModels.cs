namespace Requesty.Router.Catalog;

/// <summary>
/// The models known out of the box, with list prices in USD per million tokens. The list itself is the data file
/// Catalog/models.json (embedded in the assembly); Catalog:File replaces it at start-up (see <see cref="CatalogFile"/>).
/// </summary>
public static class BuiltInModels
{
    private static readonly Lazy<IReadOnlyList<CatalogModel>> Embedded = new(CatalogFile.LoadEmbedded);

    public static IReadOnlyList<CatalogModel> All => Embedded.Value;
}
