using System.Collections.Frozen;

namespace Requesty.Router.Catalog;

public sealed class ModelCatalog(IEnumerable<CatalogModel> models)
{
    private readonly FrozenDictionary<string, CatalogModel> _byId =
        models.ToFrozenDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<CatalogModel> All => _byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal);

    /// <summary>
    /// Finds a model by id; "provider/model@region" (anthropic/claude-sonnet-4-5@eu, bedrock/...@eu-central-1) falls
    /// back to the id without the suffix and serves it in that region (the provider picks the regional endpoint).
    /// </summary>
    public bool TryFind(string id, out CatalogModel model)
    {
        if (_byId.TryGetValue(id, out model!)) return true;
        if (SplitRegion(id) is not ({ } baseId, { } region) || !_byId.TryGetValue(baseId, out var global)) return false;
        model = global with { Id = $"{global.Id}@{region}", Region = region };
        return true;
    }

    /// <summary>"provider/model@region" split at its last '@'; (null, null) when there is no well-formed region suffix.</summary>
    public static (string? BaseId, string? Region) SplitRegion(string id)
    {
        var at = id.LastIndexOf('@');
        if (at <= 0 || at == id.Length - 1) return (null, null);
        var region = id[(at + 1)..];
        return region.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? (id[..at], region.ToLowerInvariant()) : (null, null);
    }
}
