using System.Security.Cryptography;

namespace Requesty.ServiceDefaults;

/// <summary>
/// AES-256-GCM under named keys: values are sealed with the active key and name it, and open with the
/// key they name, so a key can be rotated while older values stay readable. The caller owns the stored
/// layout of key id, nonce, ciphertext and tag, the associated data, and its configuration and errors.
/// </summary>
public sealed class AesGcmKeyRing
{
    public const int KeyBytes = 32;
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    private readonly Dictionary<string, byte[]> _keys;

    /// <param name="keys">Keys by id, each <see cref="KeyBytes"/> long.</param>
    /// <param name="activeKeyId">The key new values are sealed with (one of <paramref name="keys"/>); null when sealing is not possible.</param>
    public AesGcmKeyRing(IReadOnlyDictionary<string, byte[]> keys, string? activeKeyId)
    {
        _keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
        if (activeKeyId is not null && !_keys.ContainsKey(activeKeyId))
            throw new ArgumentException($"The active key '{activeKeyId}' is not one of the keys.", nameof(activeKeyId));
        ActiveKeyId = activeKeyId;
    }

    /// <summary>The key new values are sealed with; null when sealing is not possible.</summary>
    public string? ActiveKeyId { get; }

    public bool Contains(string keyId) => _keys.ContainsKey(keyId);

    /// <summary>
    /// Seals <paramref name="plaintext"/> with the active key and a fresh random nonce (written to
    /// <paramref name="nonce"/>); <paramref name="ciphertext"/> is as long as the plaintext.
    /// </summary>
    /// <returns>The id of the key that sealed it.</returns>
    public string Seal(ReadOnlySpan<byte> plaintext, Span<byte> nonce, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        var keyId = ActiveKeyId ?? throw new InvalidOperationException("No active key to seal with.");
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[keyId], TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        return keyId;
    }

    /// <summary>Opens a value sealed under <paramref name="keyId"/> (check <see cref="Contains"/> first).</summary>
    /// <exception cref="AuthenticationTagMismatchException">The value or its associated data was tampered with.</exception>
    public void Open(string keyId, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (!_keys.TryGetValue(keyId, out var key)) throw new KeyNotFoundException($"Key '{keyId}' is not in the key ring.");
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
    }

    /// <summary>A configured key: base64 of exactly <see cref="KeyBytes"/> bytes (surrounding white space ignored).</summary>
    public static bool TryParseKey(string? base64, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(base64)) return false;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return key.Length == KeyBytes;
    }
}
