using Requesty.Contracts.Management;
using Requesty.Management.Domain.Byok;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Byok;

/// <summary>Own-key events as the router consumes them: the sealed key as of that event, or a removal.</summary>
public static class ByokIntegrationEvents
{
    public static ByokKeyChanged? Map(StoredEvent @event, IReadOnlyList<StoredEvent> streamHistory)
    {
        var key = ProviderKey.FromHistory(streamHistory.Where(e => e.Version <= @event.Version).OrderBy(e => e.Version).Select(e => (e.Data, e.OccurredAt)));
        if (key is null) return null;
        return new ByokKeyChanged
        {
            OrganizationId = key.OrganizationId,
            Provider = key.Provider,
            Key = key.Key is { } sealedKey ? ToContract(key.OrganizationId, key.Provider, sealedKey, key.Version) : null,
            Removed = key.Removed,
            Version = key.Version,
            OccurredAt = @event.OccurredAt,
        };
    }

    public static ByokKey ToContract(ByokKeyRow row) => ToContract(row.OrganizationId, row.Provider, row.Key, row.Version);

    private static ByokKey ToContract(Guid organizationId, string provider, SealedProviderKey sealedKey, long version) => new()
    {
        OrganizationId = organizationId,
        Provider = provider,
        KeyId = sealedKey.KeyId,
        Nonce = sealedKey.Nonce,
        Ciphertext = sealedKey.Ciphertext,
        Tag = sealedKey.Tag,
        Version = version,
    };
}
