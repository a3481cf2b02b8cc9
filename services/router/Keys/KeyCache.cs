using System.Collections.Concurrent;
using Requesty.Contracts.Keys;

namespace Requesty.Router.Keys;

/// <summary>
/// In-memory key contexts by SHA-256 of the key. Filled by a full snapshot from management,
/// kept fresh by key events; a newer version always wins, and a revocation is remembered so a
/// late, older upsert cannot resurrect a deleted key.
/// </summary>
public sealed class KeyCache
{
    private readonly ConcurrentDictionary<string, ApiKeyContext> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);

    public bool IsLoaded { get; private set; }

    public int Count => _byHash.Count;

    public bool TryGet(string keyHash, out ApiKeyContext context) => _byHash.TryGetValue(keyHash, out context!);

    public void Upsert(ApiKeyContext key)
    {
        if (_revoked.ContainsKey(key.KeyHash)) return;
        _byHash.AddOrUpdate(key.KeyHash, key, (_, existing) => key.Version >= existing.Version ? key : existing);
    }

    public void Revoke(string keyHash)
    {
        _revoked[keyHash] = 0;
        _byHash.TryRemove(keyHash, out _);
    }

    /// <summary>Replaces the whole content with management's current view (drops keys deleted meanwhile).</summary>
    public void ReplaceAll(IReadOnlyCollection<ApiKeyContext> keys)
    {
        var fresh = keys.Select(k => k.KeyHash).ToHashSet(StringComparer.Ordinal);
        foreach (var key in keys) Upsert(key);
        foreach (var hash in _byHash.Keys)
        {
            if (!fresh.Contains(hash)) _byHash.TryRemove(hash, out _);
        }
        IsLoaded = true;
    }
}
