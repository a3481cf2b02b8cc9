using System.Security.Cryptography;
using System.Text.Json;

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
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly string? _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string? _configurationError;

    public HeaderCipher(IConfiguration configuration)
    {
        foreach (var retired in configuration.GetSection(RetiredKeysSection).GetChildren())
        {
            if (TryParseKey(retired.Value, out var key)) _keys[retired.Key] = key;
        }

        var current = configuration[KeyConfigurationKey];
        if (string.IsNullOrWhiteSpace(current))
        {
            _configurationError = $"{KeyConfigurationKey} is not configured (base64 of 32 random bytes).";
        }
        else if (!TryParseKey(current, out var key))
        {
            _configurationError = $"{KeyConfigurationKey} must be base64 of exactly 32 bytes.";
        }
        else
        {
            _currentKeyId = configuration[KeyIdConfigurationKey] is { Length: > 0 } id ? id : "default";
            _keys[_currentKeyId] = key;
        }
    }

    public SealedHeaders Seal(IReadOnlyDictionary<string, string> headers, Guid ownerId) =>
        SealJson(headers, ownerId.ToByteArray());

    public Dictionary<string, string> Open(SealedHeaders sealedHeaders, Guid ownerId) =>
        OpenJson<Dictionary<string, string>>(sealedHeaders, ownerId.ToByteArray()) ?? [];

    /// <summary>Seals any JSON-serializable value, bound to <paramref name="associatedData"/> (e.g. the owning row's ids).</summary>
    public SealedHeaders SealJson<T>(T value, byte[] associatedData)
    {
        if (_currentKeyId is null) throw new EncryptionNotConfiguredException(_configurationError!);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(value);
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_currentKeyId], TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), associatedData);
        CryptographicOperations.ZeroMemory(plaintext);
        return new SealedHeaders(_currentKeyId, output);
    }

    public T? OpenJson<T>(SealedHeaders sealedHeaders, byte[] associatedData)
    {
        if (!_keys.TryGetValue(sealedHeaders.KeyId, out var key))
            throw new EncryptionNotConfiguredException($"Encryption key '{sealedHeaders.KeyId}' is not configured (current or {RetiredKeysSection}).");
        var data = sealedHeaders.Ciphertext;
        if (data.Length < NonceSize + TagSize) throw new CryptographicException("Sealed data is truncated.");
        var plaintext = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plaintext, associatedData);
        try
        {
            return JsonSerializer.Deserialize<T>(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static bool TryParseKey(string? base64, out byte[] key)
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
        return key.Length == 32;
    }
}

/// <summary>Secrets cannot be sealed or opened because the key (or a retired key) is not configured.</summary>
public sealed class EncryptionNotConfiguredException(string message) : InvalidOperationException(message);
