using System.Net;
using Requesty.Alerts.Application.Delivery;

namespace Requesty.Alerts.Tests.Delivery;

public sealed class WebhookSecurityTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Internal_addresses_are_recognised(string address)
    {
        Assert.True(WebhookUrlPolicy.IsInternal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_are_not_internal(string address)
    {
        Assert.False(WebhookUrlPolicy.IsInternal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/hook")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]/hook")]
    public async Task Private_targets_are_denied_unless_allowed(string url)
    {
        Assert.NotNull(await new WebhookUrlPolicy(allowPrivateAddresses: false).ValidateAsync(url, CancellationToken.None));
        Assert.Null(await new WebhookUrlPolicy(allowPrivateAddresses: true).ValidateAsync(url, CancellationToken.None));
    }

    [Theory]
    [InlineData("ftp://8.8.8.8/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative")]
    [InlineData("https://user:secret@8.8.8.8/hook")]
    public async Task Only_absolute_http_and_https_urls_without_credentials_are_accepted(string url)
    {
        Assert.NotNull(await new WebhookUrlPolicy(allowPrivateAddresses: true).ValidateAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task A_public_address_literal_is_accepted_without_DNS()
    {
        Assert.Null(await new WebhookUrlPolicy(allowPrivateAddresses: false).ValidateAsync("https://8.8.8.8/hook", CancellationToken.None));
    }

    [Fact]
    public void Secrets_round_trip_through_authenticated_encryption_with_a_fresh_nonce()
    {
        var secrets = WebhookSecrets.FromBase64(Convert.ToBase64String(new byte[32]));

        var first = secrets.Encrypt("whsec-123");
        var second = secrets.Encrypt("whsec-123");

        Assert.NotEqual(first, second);
        Assert.Equal("whsec-123", secrets.Decrypt(first));
        first[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => secrets.Decrypt(first));
    }

    [Fact]
    public void Without_a_key_secrets_cannot_be_encrypted()
    {
        Assert.False(WebhookSecrets.FromBase64(null).CanEncrypt);
        Assert.Throws<InvalidOperationException>(() => WebhookSecrets.FromBase64(Convert.ToBase64String(new byte[16])));
    }

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_timestamp_dot_body()
    {
        // HMAC-SHA256(key="key", "1700000000.{}"), computed independently with openssl.
        Assert.Equal("sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae",
            WebhookSignature.Compute("key", 1700000000, "{}"));
    }
}
