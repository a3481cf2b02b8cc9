using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Management;

namespace Requesty.Router.Tests.Unit.Byok;

/// <summary>
/// Seals an own key exactly as the contract (<see cref="ByokEncryption"/>) describes it - AES-256-GCM, the
/// (organisation, provider) associated data - so router tests check the router against the documented format,
/// not against management's code.
/// </summary>
public static class OwnKeySealer
{
    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static ByokKey Seal(string masterKeyBase64, string keyId, Guid organizationId, string provider, string apiKey, long version = 1)
    {
        var nonce = RandomNumberGenerator.GetBytes(ByokEncryption.NonceBytes);
        var plaintext = Encoding.UTF8.GetBytes(apiKey);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[ByokEncryption.TagBytes];
        using (var aes = new AesGcm(Convert.FromBase64String(masterKeyBase64), ByokEncryption.TagBytes))
            aes.Encrypt(nonce, plaintext, ciphertext, tag, ByokEncryption.AssociatedData(organizationId, provider));
        return new ByokKey
        {
            OrganizationId = organizationId,
            Provider = provider,
            KeyId = keyId,
            Nonce = Convert.ToBase64String(nonce),
            Ciphertext = Convert.ToBase64String(ciphertext),
            Tag = Convert.ToBase64String(tag),
            Version = version,
        };
    }
}
