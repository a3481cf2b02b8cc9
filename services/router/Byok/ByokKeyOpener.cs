using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Management;
using Requesty.ServiceDefaults;

namespace Requesty.Router.Byok;

/// <summary>
/// Decrypts organisations' own keys sealed by management (AES-256-GCM, <see cref="ByokEncryption"/>) with the
/// master key each one names: the router holds the same Byok:MasterKeys:&lt;keyId&gt; (base64 of 32 bytes) as
/// management, the old ones included while a rotation is under way.
/// </summary>
public sealed class ByokKeyOpener
{
    public const string MasterKeysSection = "Byok:MasterKeys";

    private readonly AesGcmKeyRing _masterKeys;

    public ByokKeyOpener(IConfiguration configuration)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(MasterKeysSection).GetChildren())
        {
            if (AesGcmKeyRing.TryParseKey(entry.Value, out var key)) keys[entry.Key] = key;
        }
        // The router only opens: no active key.
        _masterKeys = new AesGcmKeyRing(keys, activeKeyId: null);
    }

    /// <summary>The plaintext key; false when its master key is unknown or the data does not authenticate (tampered, wrong organisation).</summary>
    public bool TryOpen(ByokKey sealedKey, out string apiKey, out string? problem)
    {
        apiKey = "";
        problem = null;
        if (!_masterKeys.Contains(sealedKey.KeyId))
        {
            problem = $"master key '{sealedKey.KeyId}' is not configured ({MasterKeysSection})";
            return false;
        }
        try
        {
            var ciphertext = Convert.FromBase64String(sealedKey.Ciphertext);
            var plaintext = new byte[ciphertext.Length];
            _masterKeys.Open(sealedKey.KeyId, Convert.FromBase64String(sealedKey.Nonce), ciphertext, Convert.FromBase64String(sealedKey.Tag),
                plaintext, ByokEncryption.AssociatedData(sealedKey.OrganizationId, sealedKey.Provider));
            apiKey = Encoding.UTF8.GetString(plaintext);
            CryptographicOperations.ZeroMemory(plaintext);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            problem = $"the sealed key does not decrypt ({ex.GetType().Name})";
            return false;
        }
    }
}
