using System.Collections.Frozen;

namespace Requesty.Router.Catalog;

public sealed class ModelCatalog(IEnumerable<CatalogModel> models)
{
    private readonly FrozenDictionary<string, CatalogModel> _byId =
        models.ToFrozenDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<CatalogModel> All => _byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal);

    public bool TryFind(string id, out CatalogModel model) => _byId.TryGetValue(id, out model!);
}
