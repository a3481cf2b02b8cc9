namespace Requesty.Management.Domain.Byok;

/// <summary>
/// An own provider key sealed with AES-256-GCM (base64 fields): <see cref="KeyId"/> names the master key
/// that sealed it, so rotation can keep older ciphertexts readable while new writes use the active key.
/// </summary>
public sealed record SealedProviderKey(string KeyId, string Nonce, string Ciphertext, string Tag);

/// <summary>
/// The organisation's key for a provider was set or replaced (never the plaintext: only the sealed key and a
/// hint - its last four characters - so people can tell their keys apart).
/// </summary>
public sealed record ByokKeySet(Guid OrganizationId, string Provider, SealedProviderKey Key, string Hint, Guid? SetBy) : IDomainEvent;

/// <summary>The organisation's key for the provider was removed; a later <see cref="ByokKeySet"/> adds one again.</summary>
public sealed record ByokKeyRemoved : IDomainEvent;
