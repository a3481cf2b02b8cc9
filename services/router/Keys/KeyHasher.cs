using System.Security.Cryptography;
using System.Text;

namespace Requesty.Router.Keys;

public static class KeyHasher
{
    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: the only form in which keys are kept.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(key.Length, 512))];
        if (key.Length > 512) return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToArray())));
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }
}
