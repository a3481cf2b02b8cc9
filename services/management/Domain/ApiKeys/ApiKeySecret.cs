using System.Security.Cryptography;
using System.Text;

namespace Requesty.Management.Domain.ApiKeys;

/// <summary>
/// Key format "rqsty-sk-" + base64url(32 random bytes) (43 chars). Only the SHA-256 and a display
/// prefix are ever stored; the plaintext lives in the create response and nowhere else.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "rqsty-sk-";
    public const int PrefixLength = 12;

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Marker + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes (the router hashes the same way).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string DisplayPrefix(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];
}
