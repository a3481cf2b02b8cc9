using Requesty.Management.Domain.Byok;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Byok;

/// <summary>
/// Write side for own provider keys: the key is sealed here, before it reaches any event, and the append
/// carries the stream version the decision was based on (a concurrent write answers 409).
/// </summary>
public sealed class ByokCommands(EventStore eventStore, ByokCipher cipher)
{
    /// <summary>Sets or replaces the organisation's key for <paramref name="provider"/>; Created is true when there was none.</summary>
    public async Task<(ProviderKey Key, bool Created)> PutAsync(
        Caller caller, string provider, string apiKey, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var existing = await LoadAsync(caller.OrganizationId, provider, cancellationToken);
        CheckVersion(existing, expectedVersion);
        var streamId = ProviderKey.StreamIdFor(caller.OrganizationId, provider);
        var set = ProviderKey.Set(caller.OrganizationId, provider, cipher.Seal(caller.OrganizationId, provider, apiKey), ProviderKey.HintOf(apiKey), caller.UserId);
        await eventStore.AppendAsync(new StreamAppend(streamId, ProviderKey.StreamType, existing?.Version ?? 0, set), metadata, cancellationToken);
        var saved = await LoadAsync(caller.OrganizationId, provider, cancellationToken)
            ?? throw new InvalidOperationException($"The {provider} key vanished after it was saved.");
        return (saved, !ProviderKey.IsLive(existing));
    }

    /// <summary>False when the organisation has no key for the provider.</summary>
    public async Task<bool> DeleteAsync(Caller caller, string provider, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var existing = await LoadAsync(caller.OrganizationId, provider, cancellationToken);
        if (!ProviderKey.IsLive(existing)) return false;
        CheckVersion(existing, expectedVersion);
        await eventStore.AppendAsync(new StreamAppend(existing!.Id, ProviderKey.StreamType, existing.Version, existing.Remove()), metadata, cancellationToken);
        return true;
    }

    /// <summary>
    /// Rotation: seals again, under the active master key, every key of the organisation that an older master key
    /// sealed (same key, same hint; a new version). Afterwards the older master key can be removed from configuration.
    /// Returns how many keys were re-sealed.
    /// </summary>
    public async Task<int> ResealAsync(Caller caller, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var resealed = 0;
        foreach (var provider in Requesty.Contracts.Management.ByokEncryption.Providers)
        {
            var key = await LoadAsync(caller.OrganizationId, provider, cancellationToken);
            if (!ProviderKey.IsLive(key) || key!.Key!.KeyId == cipher.ActiveKeyId) continue;
            var apiKey = cipher.Open(caller.OrganizationId, provider, key.Key);
            var set = ProviderKey.Set(caller.OrganizationId, provider, cipher.Seal(caller.OrganizationId, provider, apiKey), key.Hint, caller.UserId);
            await eventStore.AppendAsync(new StreamAppend(key.Id, ProviderKey.StreamType, key.Version, set), metadata, cancellationToken);
            resealed++;
        }
        return resealed;
    }

    private async Task<ProviderKey?> LoadAsync(Guid organizationId, string provider, CancellationToken cancellationToken)
    {
        var history = await eventStore.ReadStreamAsync(ProviderKey.StreamIdFor(organizationId, provider), cancellationToken);
        return ProviderKey.FromHistory(history.Select(e => (e.Data, e.OccurredAt)));
    }

    private static void CheckVersion(ProviderKey? key, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != (key?.Version ?? 0))
            throw new ConcurrencyException(key?.Id ?? Guid.Empty, expected, key?.Version ?? 0);
    }
}
