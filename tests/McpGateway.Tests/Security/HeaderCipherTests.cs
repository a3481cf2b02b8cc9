using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Requesty.McpGateway.Security;

namespace Requesty.McpGateway.Tests.Security;

public sealed class HeaderCipherTests
{
    private static readonly string OldKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private static readonly Dictionary<string, string> Headers = new() { ["Authorization"] = "Bearer sk-very-secret" };

    [Fact]
    public void Sealed_headers_open_again_and_hold_no_plaintext()
    {
        var cipher = Cipher(("Mcp:EncryptionKey", OldKey), ("Mcp:EncryptionKeyId", "k1"));
        var owner = Guid.NewGuid();

        var sealedHeaders = cipher.Seal(Headers, owner);

        Assert.Equal("k1", sealedHeaders.KeyId);
        Assert.Equal(-1, sealedHeaders.Ciphertext.AsSpan().IndexOf(Encoding.UTF8.GetBytes("sk-very-secret")));
        Assert.Equal(Headers, cipher.Open(sealedHeaders, owner));
    }

    [Fact]
    public void Sealing_twice_gives_different_ciphertexts()
    {
        var cipher = Cipher(("Mcp:EncryptionKey", OldKey));
        var owner = Guid.NewGuid();

        Assert.NotEqual(cipher.Seal(Headers, owner).Ciphertext, cipher.Seal(Headers, owner).Ciphertext);
    }

    [Fact]
    public void After_rotation_old_data_opens_with_the_retired_key_and_new_data_uses_the_new_one()
    {
        var owner = Guid.NewGuid();
        var old = Cipher(("Mcp:EncryptionKey", OldKey), ("Mcp:EncryptionKeyId", "k1")).Seal(Headers, owner);
        var rotated = Cipher(("Mcp:EncryptionKey", NewKey), ("Mcp:EncryptionKeyId", "k2"), ("Mcp:RetiredKeys:k1", OldKey));

        Assert.Equal(Headers, rotated.Open(old, owner));
        Assert.Equal("k2", rotated.Seal(Headers, owner).KeyId);
    }

    [Fact]
    public void Data_of_an_unknown_key_id_is_a_configuration_error()
    {
        var owner = Guid.NewGuid();
        var old = Cipher(("Mcp:EncryptionKey", OldKey), ("Mcp:EncryptionKeyId", "k1")).Seal(Headers, owner);
        var forgetful = Cipher(("Mcp:EncryptionKey", NewKey), ("Mcp:EncryptionKeyId", "k2"));

        var error = Assert.Throws<EncryptionNotConfiguredException>(() => forgetful.Open(old, owner));
        Assert.Contains("'k1'", error.Message);
    }

    [Fact]
    public void A_blob_moved_to_another_owner_does_not_open()
    {
        var cipher = Cipher(("Mcp:EncryptionKey", OldKey));
        var sealedHeaders = cipher.Seal(Headers, Guid.NewGuid());

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedHeaders, Guid.NewGuid()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Without_a_valid_key_sealing_explains_the_setting(string? key)
    {
        var cipher = key is null ? Cipher() : Cipher(("Mcp:EncryptionKey", key));

        var error = Assert.Throws<EncryptionNotConfiguredException>(() => cipher.Seal(Headers, Guid.NewGuid()));
        Assert.Contains("Mcp:EncryptionKey", error.Message);
    }

    [Fact]
    public void Headers_sealed_by_an_earlier_version_still_open()
    {
        // Sealed before the AES-GCM core moved to the shared key ring (layout: nonce, tag, ciphertext).
        var stored = new SealedHeaders("k1", Convert.FromBase64String(
            "a+eoILJXsd5MUscJXb1uijUYoajgF8bU++o/kdpeSm+nKm/N2U39pwDYh07gY/tHWxjPNYG0fGyuz3Ltvavy1VFji3Kq"));
        var cipher = Cipher(("Mcp:EncryptionKey", NewKey), ("Mcp:EncryptionKeyId", "k2"), ("Mcp:RetiredKeys:k1", OldKey));

        Assert.Equal(Headers, cipher.Open(stored, Guid.Parse("6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b")));
    }

    private static HeaderCipher Cipher(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());
}
