using System.Text;

namespace Requesty.Contracts.Management;

/// <summary>
/// Bring Your Own Keys: an organisation's own provider API key, as management stores it and the router
/// receives it - encrypted, never in plaintext. The key is sealed with AES-256-GCM under a master key
/// that both services hold in configuration (Byok:MasterKeys:&lt;keyId&gt; = base64 of 32 bytes;
/// Byok:ActiveKeyId picks the one new writes use). The associated data is
/// <see cref="ByokEncryption.AssociatedData"/>, so a ciphertext copied onto another organisation or
/// provider does not decrypt.
/// </summary>
public static class ByokEncryption
{
    /// <summary>Providers an organisation can add its own key for (at most one key per provider).</summary>
    public static readonly IReadOnlyList<string> Providers = ["openai", "anthropic", "google", "xai"];

    /// <summary>Bytes of the AES-GCM nonce and tag.</summary>
    public const int NonceBytes = 12, TagBytes = 16;

    /// <summary>UTF-8 of "byok:&lt;organization id, 32 hex digits&gt;:&lt;provider&gt;".</summary>
    public static byte[] AssociatedData(Guid organizationId, string provider) =>
        Encoding.UTF8.GetBytes($"byok:{organizationId:N}:{provider}");
}

/// <summary>An own provider key, encrypted (all binary fields base64; the plaintext is the UTF-8 key).</summary>
public sealed record ByokKey
{
    public required Guid OrganizationId { get; init; }
    /// <summary>"openai", "anthropic", "google" or "xai".</summary>
    public required string Provider { get; init; }
    /// <summary>Id of the master key that sealed it (Byok:MasterKeys:&lt;id&gt;).</summary>
    public required string KeyId { get; init; }
    public required string Nonce { get; init; }
    public required string Ciphertext { get; init; }
    public required string Tag { get; init; }
    /// <summary>Version of the (organisation, provider) stream; a newer version always wins.</summary>
    public required long Version { get; init; }
}

/// <summary>
/// An organisation's own key for a provider was set, replaced or removed. Carries the encrypted key
/// (<see cref="Key"/>) or <see cref="Removed"/> = true with no key.
/// </summary>
public sealed record ByokKeyChanged
{
    public required Guid OrganizationId { get; init; }
    public required string Provider { get; init; }
    public ByokKey? Key { get; init; }
    public bool Removed { get; init; }
    public required long Version { get; init; }
    public required DateTime OccurredAt { get; init; }
}
