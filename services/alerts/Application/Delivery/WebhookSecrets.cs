using System.Security.Cryptography;
using System.Text;

namespace Requesty.Alerts.Application.Delivery;

/// <summary>
/// Per-webhook signing secrets are encrypted (AES-256-GCM), not hashed: the sender must compute an
/// HMAC with the secret itself, so it has to be recoverable. The key comes from configuration
/// (Alerts:Webhooks:SecretKey), never from the database.
/// </summary>
public sealed class WebhookSecrets(byte[]? key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public bool CanEncrypt => key is { Length: 32 };

    public static WebhookSecrets FromBase64(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return new WebhookSecrets(null);
        var key = Convert.FromBase64String(base64);
        if (key.Length != 32) throw new InvalidOperationException("Alerts:Webhooks:SecretKey must be base64 of 32 bytes.");
        return new WebhookSecrets(key);
    }

    public byte[] Encrypt(string secret)
    {
        using var aes = new AesGcm(RequireKey(), TagSize);
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return output;
    }

    public string Decrypt(byte[] sealedSecret)
    {
        using var aes = new AesGcm(RequireKey(), TagSize);
        var plain = new byte[sealedSecret.Length - NonceSize - TagSize];
        aes.Decrypt(sealedSecret.AsSpan(0, NonceSize), sealedSecret.AsSpan(NonceSize + TagSize), sealedSecret.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] RequireKey() => key is { Length: 32 } k ? k : throw new InvalidOperationException("Alerts:Webhooks:SecretKey is not configured.");
}

/// <summary>
/// X-Requesty-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body), with the
/// timestamp (unix seconds) in X-Requesty-Timestamp so receivers can reject replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Requesty-Signature";
    public const string TimestampHeader = "X-Requesty-Timestamp";
    public const string DeliveryIdHeader = "X-Requesty-Delivery-Id";

    public static string Compute(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
