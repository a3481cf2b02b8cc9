using System.Collections.Concurrent;
using Requesty.Contracts.Management;

namespace Requesty.Router.Byok;

/// <summary>
/// Organisations' own provider keys, decrypted in memory (never written anywhere) by organisation and provider.
/// Filled by management's snapshot, kept fresh by <see cref="ByokKeyChanged"/>; a newer version always wins and a
/// removal is remembered with its version, so a late, older event cannot bring a removed key back.
/// </summary>
public sealed class OwnKeyRing(ByokKeyOpener opener, ILogger<OwnKeyRing> logger)
{
    private sealed record Entry(long Version, string? ApiKey);

    private readonly ConcurrentDictionary<(Guid Organization, string Provider), Entry> _entries = new();

    public bool IsLoaded { get; private set; }

    public int Count => _entries.Count(e => e.Value.ApiKey is not null);

    /// <summary>The organisation's own key for the provider of a catalogue model (openai-responses uses the openai key).</summary>
    public bool TryGet(Guid organizationId, string provider, out string apiKey)
    {
        apiKey = "";
        if (!_entries.TryGetValue((organizationId, KeySources.KeyProviderFor(provider)), out var entry) || entry.ApiKey is null) return false;
        apiKey = entry.ApiKey;
        return true;
    }

    public void Apply(ByokKeyChanged change)
    {
        if (change.Removed || change.Key is null) Remove(change.OrganizationId, change.Provider, change.Version);
        else Upsert(change.Key);
    }

    public void Upsert(ByokKey key)
    {
        var id = (key.OrganizationId, key.Provider);
        if (_entries.TryGetValue(id, out var current) && current.Version >= key.Version) return;
        if (!opener.TryOpen(key, out var apiKey, out var problem))
        {
            // Never the key itself: which organisation and provider, and why.
            logger.LogWarning("Own {Provider} key of organisation {OrganizationId} (version {Version}) is unusable: {Problem}",
                key.Provider, key.OrganizationId, key.Version, problem);
            Set(id, new Entry(key.Version, null));
            return;
        }
        Set(id, new Entry(key.Version, apiKey));
    }

    public void Remove(Guid organizationId, string provider, long version) => Set((organizationId, provider), new Entry(version, null));

    /// <summary>Replaces the whole content with management's current view (drops keys removed meanwhile).</summary>
    public void ReplaceAll(IReadOnlyCollection<ByokKey> keys)
    {
        var fresh = keys.Select(k => (k.OrganizationId, k.Provider)).ToHashSet();
        foreach (var key in keys) Upsert(key);
        foreach (var (id, entry) in _entries)
        {
            if (entry.ApiKey is not null && !fresh.Contains(id))
                _entries.TryUpdate(id, entry with { ApiKey = null }, entry);
        }
        IsLoaded = true;
    }

    private void Set((Guid, string) id, Entry entry) =>
        _entries.AddOrUpdate(id, entry, (_, existing) => entry.Version >= existing.Version ? entry : existing);
}
