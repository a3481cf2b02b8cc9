using System.Security.Cryptography;
using System.Text.Json;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Security;

/// <summary>Ciphertext of a server's header values and the id of the key that sealed it.</summary>
public sealed record SealedHeaders(string KeyId, byte[] Ciphertext);

/// <summary>
/// AES-256-GCM for upstream header values (secrets). New data is sealed with Mcp:EncryptionKey
/// (base64, 32 bytes) under Mcp:EncryptionKeyId; data sealed with an older key stays readable while
/// that key is listed as Mcp:RetiredKeys:&lt;id&gt;. The owning row id is the associated data, so a
/// blob copied onto another server does not decrypt.
/// </summary>
public sealed class HeaderCipher
{
    public const string KeyConfigurationKey = "Mcp:EncryptionKey";
    public const string KeyIdConfigurationKey = "Mcp:EncryptionKeyId";
    public const string RetiredKeysSection = "Mcp:RetiredKeys";
    private const int NonceSize = AesGcmKeyRing.NonceBytes;
    private const int TagSize = AesGcmKeyRing.TagBytes;

    private readonly AesGcmKeyRing _keys;
    private readonly string? _configurationError;

    public HeaderCipher(IConfiguration configuration)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var retired in configuration.GetSection(RetiredKeysSection).GetChildren())
        {
            if (AesGcmKeyRing.TryParseKey(retired.Value, out var key)) keys[retired.Key] = key;
        }

        string? currentKeyId = null;
        var current = configuration[KeyConfigurationKey];
        if (string.IsNullOrWhiteSpace(current))
        {
            _configurationError = $"{KeyConfigurationKey} is not configured (base64 of 32 random bytes).";
        }
        else if (!AesGcmKeyRing.TryParseKey(current, out var key))
        {
            _configurationError = $"{KeyConfigurationKey} must be base64 of exactly 32 bytes.";
        }
        else
        {
            currentKeyId = configuration[KeyIdConfigurationKey] is { Length: > 0 } id ? id : "default";
            keys[currentKeyId] = key;
        }
        _keys = new AesGcmKeyRing(keys, currentKeyId);
    }

    public SealedHeaders Seal(IReadOnlyDictionary<string, string> headers, Guid ownerId) =>
        SealJson(headers, ownerId.ToByteArray());

    public Dictionary<string, string> Open(SealedHeaders sealedHeaders, Guid ownerId) =>
        OpenJson<Dictionary<string, string>>(sealedHeaders, ownerId.ToByteArray()) ?? [];

    /// <summary>Seals any JSON-serializable value, bound to <paramref name="associatedData"/> (e.g. the owning row's ids).</summary>
    /// <remarks>Stored layout: nonce (12 bytes), tag (16 bytes), ciphertext.</remarks>
    public SealedHeaders SealJson<T>(T value, byte[] associatedData)
    {
        if (_keys.ActiveKeyId is null) throw new EncryptionNotConfiguredException(_configurationError!);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(value);
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var keyId = _keys.Seal(plaintext, output.AsSpan(0, NonceSize), output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), associatedData);
        CryptographicOperations.ZeroMemory(plaintext);
        return new SealedHeaders(keyId, output);
    }

    public T? OpenJson<T>(SealedHeaders sealedHeaders, byte[] associatedData)
    {
        if (!_keys.Contains(sealedHeaders.KeyId))
            throw new EncryptionNotConfiguredException($"Encryption key '{sealedHeaders.KeyId}' is not configured (current or {RetiredKeysSection}).");
        var data = sealedHeaders.Ciphertext;
        if (data.Length < NonceSize + TagSize) throw new CryptographicException("Sealed data is truncated.");
        var plaintext = new byte[data.Length - NonceSize - TagSize];
        _keys.Open(sealedHeaders.KeyId, data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plaintext, associatedData);
        try
        {
            return JsonSerializer.Deserialize<T>(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>Secrets cannot be sealed or opened because the key (or a retired key) is not configured.</summary>
public sealed class EncryptionNotConfiguredException(string message) : InvalidOperationException(message);
