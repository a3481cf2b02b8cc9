using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Domain;

namespace Requesty.Management.Application.Audit;

/// <summary>
/// The event data as the audit log shows it: snake_case, with every property that could carry key
/// material removed - key hashes (not secret, dropped anyway), ciphertext, encrypted or wrapped keys,
/// nonces, secrets, tokens, passwords, credentials. Matching is by property name, so a new event type
/// is covered as long as it names such fields plainly; removal is recursive (nested objects and arrays).
/// </summary>
public static class AuditDataRedactor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static readonly string[] SensitiveFragments =
        ["hash", "cipher", "encrypt", "secret", "password", "passphrase", "credential", "nonce", "wrapped", "private_key", "plaintext"];

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.OrdinalIgnoreCase)
        { "key", "api_key", "token", "access_token", "refresh_token", "iv", "tag", "dek", "kek", "authorization", "headers" };

    public static JsonNode? Redact(IDomainEvent data)
    {
        var node = JsonSerializer.SerializeToNode(data, data.GetType(), Json);
        Scrub(node);
        return node;
    }

    public static bool IsSensitive(string propertyName)
    {
        var name = propertyName.ToLowerInvariant();
        if (SensitiveNames.Contains(name)) return true;
        if (SensitiveFragments.Any(name.Contains)) return true;
        // "provider_key", "byok_key" are key material; "api_key_id", "key_source" are not.
        return name.EndsWith("_key", StringComparison.Ordinal) || name.EndsWith("_token", StringComparison.Ordinal);
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(IsSensitive).ToList()) obj.Remove(name);
                foreach (var (_, child) in obj) Scrub(child);
                break;
            case JsonArray array:
                foreach (var child in array) Scrub(child);
                break;
        }
    }
}
