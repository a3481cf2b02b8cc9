using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Management;
using Requesty.Management.Domain.Byok;
using Requesty.ServiceDefaults;

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

    private readonly AesGcmKeyRing _masterKeys;
    private readonly string? _configurationError;

    public ByokCipher(IConfiguration configuration)
    {
        var masterKeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(MasterKeysSection).GetChildren())
        {
            if (AesGcmKeyRing.TryParseKey(entry.Value, out var key)) masterKeys[entry.Key] = key;
            else _configurationError = $"{MasterKeysSection}:{entry.Key} must be base64 of exactly 32 bytes.";
        }
        var active = configuration[ActiveKeyIdKey] is { Length: > 0 } configured ? configured
            : masterKeys.Count == 1 ? masterKeys.Keys.Single() : null;
        if (_configurationError is null)
        {
            if (active is null)
                _configurationError = masterKeys.Count == 0
                    ? $"No BYOK master key is configured ({MasterKeysSection}:<keyId> = base64 of 32 random bytes)."
                    : $"{ActiveKeyIdKey} must name one of the {MasterKeysSection} entries.";
            else if (!masterKeys.ContainsKey(active))
                _configurationError = $"{ActiveKeyIdKey} '{active}' is not one of the {MasterKeysSection} entries.";
        }
        _masterKeys = new AesGcmKeyRing(masterKeys, _configurationError is null ? active : null);
    }

    /// <summary>The master key new writes use; null when encryption is not configured.</summary>
    public string? ActiveKeyId => _masterKeys.ActiveKeyId;

    public SealedProviderKey Seal(Guid organizationId, string provider, string apiKey)
    {
        if (_masterKeys.ActiveKeyId is null) throw new ByokEncryptionNotConfiguredException(_configurationError!);
        var plaintext = Encoding.UTF8.GetBytes(apiKey);
        var nonce = new byte[ByokEncryption.NonceBytes];
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[ByokEncryption.TagBytes];
        string keyId;
        try
        {
            keyId = _masterKeys.Seal(plaintext, nonce, ciphertext, tag, ByokEncryption.AssociatedData(organizationId, provider));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        return new SealedProviderKey(keyId, Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag));
    }

    /// <summary>The plaintext key (for re-sealing under the active master key); throws when tampered with or the master key is gone.</summary>
    public string Open(Guid organizationId, string provider, SealedProviderKey sealedKey)
    {
        if (!_masterKeys.Contains(sealedKey.KeyId))
            throw new ByokEncryptionNotConfiguredException($"BYOK master key '{sealedKey.KeyId}' is not configured ({MasterKeysSection}).");
        var ciphertext = Convert.FromBase64String(sealedKey.Ciphertext);
        var plaintext = new byte[ciphertext.Length];
        _masterKeys.Open(sealedKey.KeyId, Convert.FromBase64String(sealedKey.Nonce), ciphertext, Convert.FromBase64String(sealedKey.Tag), plaintext,
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
}

/// <summary>Own keys cannot be stored because no usable master key is configured (answered as 503).</summary>
public sealed class ByokEncryptionNotConfiguredException(string message) : InvalidOperationException(message);
