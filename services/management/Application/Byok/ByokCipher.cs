using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Management;
using Requesty.Management.Domain.Byok;

namespace Requesty.Management.Application.Byok;

/// <summary>
/// AES-256-GCM for organisations' own provider keys. Master keys come from configuration
/// (Byok:MasterKeys:&lt;keyId&gt; = base64 of 32 bytes); new keys are sealed with Byok:ActiveKeyId (or the only
/// master key when there is one), and a sealed key opens with the master key it names, so rotation is: add
/// the new master key, make it active, keep the old one listed until every key has been set again.
/// The (organisation, provider) pair is the associated data (<see cref="ByokEncryption.AssociatedData"/>).
/// </summary>
public sealed class ByokCipher
{
    public const string MasterKeysSection = "Byok:MasterKeys";
    public const string ActiveKeyIdKey = "Byok:ActiveKeyId";

    private readonly Dictionary<string, byte[]> _masterKeys = new(StringComparer.Ordinal);
    private readonly string? _activeKeyId;
    private readonly string? _configurationError;

    public ByokCipher(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection(MasterKeysSection).GetChildren())
        {
            if (TryParseKey(entry.Value, out var key)) _masterKeys[entry.Key] = key;
            else _configurationError = $"{MasterKeysSection}:{entry.Key} must be base64 of exactly 32 bytes.";
        }
        var active = configuration[ActiveKeyIdKey] is { Length: > 0 } configured ? configured
            : _masterKeys.Count == 1 ? _masterKeys.Keys.Single() : null;
        if (_configurationError is not null) return;
        if (active is null)
            _configurationError = _masterKeys.Count == 0
                ? $"No BYOK master key is configured ({MasterKeysSection}:<keyId> = base64 of 32 random bytes)."
                : $"{ActiveKeyIdKey} must name one of the {MasterKeysSection} entries.";
        else if (!_masterKeys.ContainsKey(active))
            _configurationError = $"{ActiveKeyIdKey} '{active}' is not one of the {MasterKeysSection} entries.";
        else
            _activeKeyId = active;
    }

    /// <summary>The master key new writes use; null when encryption is not configured.</summary>
    public string? ActiveKeyId => _activeKeyId;

    public SealedProviderKey Seal(Guid organizationId, string provider, string apiKey)
    {
        if (_activeKeyId is null) throw new ByokEncryptionNotConfiguredException(_configurationError!);
        var plaintext = Encoding.UTF8.GetBytes(apiKey);
        var nonce = RandomNumberGenerator.GetBytes(ByokEncryption.NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[ByokEncryption.TagBytes];
        try
        {
            using var aes = new AesGcm(_masterKeys[_activeKeyId], ByokEncryption.TagBytes);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, ByokEncryption.AssociatedData(organizationId, provider));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        return new SealedProviderKey(_activeKeyId, Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag));
    }

    /// <summary>The plaintext key (for re-sealing under the active master key); throws when tampered with or the master key is gone.</summary>
    public string Open(Guid organizationId, string provider, SealedProviderKey sealedKey)
    {
        if (!_masterKeys.TryGetValue(sealedKey.KeyId, out var masterKey))
            throw new ByokEncryptionNotConfiguredException($"BYOK master key '{sealedKey.KeyId}' is not configured ({MasterKeysSection}).");
        var ciphertext = Convert.FromBase64String(sealedKey.Ciphertext);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(masterKey, ByokEncryption.TagBytes);
        aes.Decrypt(Convert.FromBase64String(sealedKey.Nonce), ciphertext, Convert.FromBase64String(sealedKey.Tag), plaintext,
            ByokEncryption.AssociatedData(organizationId, provider));
        try
        {
            return Encoding.UTF8.GetString(plaintext);
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

/// <summary>Own keys cannot be stored because no usable master key is configured (answered as 503).</summary>
public sealed class ByokEncryptionNotConfiguredException(string message) : InvalidOperationException(message);
