using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Byok;
using Requesty.Management.Domain.Byok;

namespace Requesty.Management.Tests.Byok;

public sealed class ByokCipherTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly string K1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string K2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static ByokCipher Cipher(string? activeKeyId, params (string Id, string Key)[] masterKeys)
    {
        var settings = masterKeys.Select(k => new KeyValuePair<string, string?>($"Byok:MasterKeys:{k.Id}", k.Key)).ToList();
        if (activeKeyId is not null) settings.Add(new("Byok:ActiveKeyId", activeKeyId));
        return new ByokCipher(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    [Fact]
    public void A_key_round_trips_and_the_ciphertext_is_standard_aes_gcm_bound_to_organisation_and_provider()
    {
        var cipher = Cipher("k1", ("k1", K1));
        const string apiKey = "sk-proj-round-trip-0123456789";

        var sealedKey = cipher.Seal(Org, "openai", apiKey);

        Assert.Equal("k1", sealedKey.KeyId);
        Assert.Equal(apiKey, cipher.Open(Org, "openai", sealedKey));
        Assert.DoesNotContain(apiKey, sealedKey.ToString());
        // What the router does with the contract's description alone.
        var plaintext = new byte[Convert.FromBase64String(sealedKey.Ciphertext).Length];
        using (var aes = new AesGcm(Convert.FromBase64String(K1), ByokEncryption.TagBytes))
            aes.Decrypt(Convert.FromBase64String(sealedKey.Nonce), Convert.FromBase64String(sealedKey.Ciphertext),
                Convert.FromBase64String(sealedKey.Tag), plaintext, ByokEncryption.AssociatedData(Org, "openai"));
        Assert.Equal(apiKey, Encoding.UTF8.GetString(plaintext));
        // Copied onto another organisation or provider, it does not open.
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(Guid.NewGuid(), "openai", sealedKey));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(Org, "anthropic", sealedKey));
        // Every seal uses a fresh nonce.
        Assert.NotEqual(sealedKey.Ciphertext, cipher.Seal(Org, "openai", apiKey).Ciphertext);
    }

    [Fact]
    public void Rotation_opens_old_keys_with_the_master_key_they_name_and_seals_new_ones_with_the_active_key()
    {
        var before = Cipher("k1", ("k1", K1)).Seal(Org, "anthropic", "sk-ant-sealed-before-rotation");
        var rotated = Cipher("k2", ("k1", K1), ("k2", K2));

        Assert.Equal("sk-ant-sealed-before-rotation", rotated.Open(Org, "anthropic", before));
        var after = rotated.Seal(Org, "anthropic", "sk-ant-sealed-after-rotation");
        Assert.Equal("k2", after.KeyId);
        Assert.Equal("sk-ant-sealed-after-rotation", Cipher("k2", ("k2", K2)).Open(Org, "anthropic", after));

        // Once the old master key is dropped, what it sealed no longer opens.
        Assert.Throws<ByokEncryptionNotConfiguredException>(() => Cipher("k2", ("k2", K2)).Open(Org, "anthropic", before));
    }

    [Fact]
    public void The_only_master_key_is_active_by_default_and_a_missing_or_invalid_configuration_refuses_to_seal()
    {
        Assert.Equal("only", Cipher(null, ("only", K1)).ActiveKeyId);
        Assert.Throws<ByokEncryptionNotConfiguredException>(() => Cipher(null).Seal(Org, "xai", "xai-key-without-master-key"));
        Assert.Throws<ByokEncryptionNotConfiguredException>(() => Cipher(null, ("k1", K1), ("k2", K2)).Seal(Org, "xai", "xai-key-ambiguous-master"));
        Assert.Throws<ByokEncryptionNotConfiguredException>(() => Cipher("k3", ("k1", K1)).Seal(Org, "xai", "xai-key-unknown-active-id"));
        Assert.Throws<ByokEncryptionNotConfiguredException>(() => Cipher("k1", ("k1", "dG9vIHNob3J0")).Seal(Org, "xai", "xai-key-short-master-key"));
    }

    [Fact]
    public void A_key_sealed_by_an_earlier_version_still_opens()
    {
        // Sealed before the AES-GCM core moved to the shared key ring; stored keys must keep opening.
        var masterKey = Convert.ToBase64String(Enumerable.Range(200, 32).Select(i => (byte)i).ToArray());
        var organization = Guid.Parse("0b7e4f8a-9c1d-4a2b-8e3f-5d6c7b8a9f01");
        var stored = new SealedProviderKey("m1", "HuMtTeu32Q0uyyG0", "+A3mC+xSVWo7JLpEybHyaicDA8+1z3yaNmIkOWDMgw==", "Wmna3wil25rnbHzaaMs81Q==");

        Assert.Equal("sk-proj-sealed-before-the-merge", Cipher(null, ("m1", masterKey)).Open(organization, "openai", stored));
    }
}
