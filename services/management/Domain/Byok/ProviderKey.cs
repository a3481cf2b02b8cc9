using System.Security.Cryptography;
using System.Text;

namespace Requesty.Management.Domain.Byok;

/// <summary>
/// An organisation's own key for one provider, rebuilt from its stream. One stream per (organisation,
/// provider), so there is at most one key per provider and setting it again replaces it.
/// </summary>
public sealed class ProviderKey
{
    public const string StreamType = "byok_key";

    private ProviderKey() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Provider { get; private set; } = "";
    public SealedProviderKey? Key { get; private set; }
    public string Hint { get; private set; } = "";
    public bool Removed { get; private set; }
    /// <summary>When the current key was first added (a replacement keeps it; a removal resets it).</summary>
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public long Version { get; private set; }

    /// <summary>The stream id of an (organisation, provider) pair: stable, so lookups need no index.</summary>
    public static Guid StreamIdFor(Guid organizationId, string provider)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"byok:{organizationId:N}:{provider}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>The last four characters, for display ("...wxyz"); the rest of the key is never shown.</summary>
    public static string HintOf(string apiKey) => "..." + apiKey[^Math.Min(4, apiKey.Length)..];

    public static ProviderKey? FromHistory(IEnumerable<(IDomainEvent Event, DateTime OccurredAt)> history)
    {
        ProviderKey? key = null;
        foreach (var (@event, occurredAt) in history)
        {
            key ??= new ProviderKey();
            key.Apply(@event, occurredAt);
        }
        return key;
    }

    /// <summary>Whether the stream currently holds a key.</summary>
    public static bool IsLive(ProviderKey? key) => key is { Removed: false };

    public static ByokKeySet Set(Guid organizationId, string provider, SealedProviderKey sealedKey, string hint, Guid? setBy) =>
        new(organizationId, provider, sealedKey, hint, setBy);

    public ByokKeyRemoved Remove()
    {
        if (Removed) throw new DomainConflictException($"No own key is configured for {Provider}.");
        return new ByokKeyRemoved();
    }

    private void Apply(IDomainEvent @event, DateTime occurredAt)
    {
        switch (@event)
        {
            case ByokKeySet set:
                if (Version == 0 || Removed) CreatedAt = occurredAt;
                Id = StreamIdFor(set.OrganizationId, set.Provider);
                OrganizationId = set.OrganizationId;
                Provider = set.Provider;
                Key = set.Key;
                Hint = set.Hint;
                Removed = false;
                break;
            case ByokKeyRemoved:
                Removed = true;
                Key = null;
                break;
            default:
                throw new InvalidOperationException($"ProviderKey cannot apply {@event.GetType().Name}.");
        }
        UpdatedAt = occurredAt;
        Version++;
    }
}
