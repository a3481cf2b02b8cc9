using System.Globalization;
using System.Security.Cryptography;
using Requesty.Contracts.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// SHA-256 over "len(role):role" + "utf8len(text):" + text for each message (the answer as one more "assistant"
/// message), fed one message at a time from <see cref="Text"/>. Analytics joins requests into sessions across router
/// versions, so this definition may never drift (SessionHasherTests pin it).
/// </summary>
internal sealed class ConversationDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _prefix;
    private string? _firstUserMessage;
    private int _count;

    /// <summary>The text of the message to add next, as UTF-8.</summary>
    public Utf8Buffer Text { get; } = new();

    /// <summary>Adds a message whose text is in <see cref="Text"/>; the last one is told, as the prefix hash ends before it.</summary>
    public void Add(string role, bool last)
    {
        if (last && _count > 0) _prefix = CurrentHex();
        Append(role, Text.Written);
        if (_firstUserMessage is null && role == "user") _firstUserMessage = Sha256Hex(Text.Written);
        _count++;
    }

    public SessionHashes Finish(string? answer)
    {
        if (_count == 0) return new SessionHashes();
        if (answer is not null)
        {
            Text.Clear();
            Text.Append(answer);
            Append("assistant", Text.Written);
        }
        return new SessionHashes { PrefixHash = _prefix, ConversationHash = CurrentHex(), FirstMessageHash = _firstUserMessage };
    }

    /// <summary>Ready for the next conversation; false (and disposed) when its buffer grew too large to keep.</summary>
    public bool Reset()
    {
        Span<byte> discarded = stackalloc byte[32];
        _hash.GetHashAndReset(discarded);
        _prefix = null;
        _firstUserMessage = null;
        _count = 0;
        Text.Clear();
        if (Text.Capacity <= MaxKeptBufferBytes) return true;
        Dispose();
        return false;
    }

    private const int MaxKeptBufferBytes = 1024 * 1024;

    private void Append(string role, ReadOnlySpan<byte> text)
    {
        // Length prefixes keep ("ab","c") and ("a","bc") apart; the role's is its length in UTF-16 units, as it always was.
        AppendNumber(role.Length);
        _hash.AppendData(":"u8);
        Span<byte> roleUtf8 = stackalloc byte[256];
        if (System.Text.Encoding.UTF8.TryGetBytes(role, roleUtf8, out var roleBytes)) _hash.AppendData(roleUtf8[..roleBytes]);
        else _hash.AppendData(System.Text.Encoding.UTF8.GetBytes(role));
        AppendNumber(text.Length);
        _hash.AppendData(":"u8);
        _hash.AppendData(text);
    }

    private void AppendNumber(int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        _hash.AppendData(digits[..written]);
    }

    private string CurrentHex()
    {
        Span<byte> digest = stackalloc byte[32];
        _hash.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static string Sha256Hex(ReadOnlySpan<byte> text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(text, digest);
        return Convert.ToHexStringLower(digest);
    }

    public void Dispose()
    {
        _hash.Dispose();
        Text.Dispose();
    }
}
