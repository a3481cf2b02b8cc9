using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// Conversation fingerprints for session reconstruction. Each message is reduced to its role
/// and text, so the assistant answer a client sends back in its next request hashes the same
/// as the answer we saw: next request's PrefixHash == this request's ConversationHash.
/// </summary>
public static class SessionHasher
{
    public static SessionHashes Compute(IReadOnlyList<(string Role, string Text)> messages, string? answer)
    {
        if (messages.Count == 0) return new SessionHashes();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? prefix = null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (i == messages.Count - 1) prefix = CurrentHex(hash);
            Append(hash, messages[i].Role, messages[i].Text);
        }
        if (answer is not null) Append(hash, "assistant", answer);
        var firstUser = messages.FirstOrDefault(m => m.Role == "user");
        return new SessionHashes
        {
            PrefixHash = messages.Count > 1 ? prefix : null,
            ConversationHash = CurrentHex(hash),
            FirstMessageHash = firstUser.Text is null ? null : Sha256Hex(firstUser.Text),
        };
    }

    /// <summary>Role and plain text of each OpenAI-format message (text parts joined; other parts ignored).</summary>
    public static List<(string Role, string Text)> ReadOpenAIMessages(JsonArray? messages)
    {
        if (messages is null) return [];
        var result = new List<(string, string)>(messages.Count);
        foreach (var node in messages)
        {
            if (node is not JsonObject message) continue;
            var role = message["role"]?.GetValue<string>() ?? "";
            result.Add((role, TextOf(message["content"])));
        }
        return result;
    }

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>()
            .Where(p => p["type"]?.GetValue<string>() == "text")
            .Select(p => p["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    // Per request on the hot path: UTF-8 goes through a stack or pooled buffer, never a string or array of its own.
    // The hash is over the concatenation, so appending it piece by piece gives the same digest.
    private static void Append(IncrementalHash hash, string role, string text)
    {
        // Length prefixes keep ("ab","c") and ("a","bc") apart: "<role length>:<role><text byte count>:<text>".
        AppendNumber(hash, role.Length);
        hash.AppendData(":"u8);
        WithUtf8(role, hash, static (bytes, hash) => hash.AppendData(bytes));
        AppendNumber(hash, Encoding.UTF8.GetByteCount(text));
        hash.AppendData(":"u8);
        WithUtf8(text, hash, static (bytes, hash) => hash.AppendData(bytes));
    }

    private static void AppendNumber(IncrementalHash hash, int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        hash.AppendData(digits[..written]);
    }

    private static string CurrentHex(IncrementalHash hash)
    {
        Span<byte> digest = stackalloc byte[32];
        hash.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static string Sha256Hex(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        WithUtf8(text, digest, static (bytes, digest) => SHA256.HashData(bytes, digest));
        return Convert.ToHexStringLower(digest);
    }

    private delegate void Utf8Action<TState>(ReadOnlySpan<byte> utf8, TState state) where TState : allows ref struct;

    private static void WithUtf8<TState>(string text, TState state, Utf8Action<TState> action) where TState : allows ref struct
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length <= 1024)
        {
            Span<byte> small = stackalloc byte[1024];
            action(small[..Encoding.UTF8.GetBytes(text, small)], state);
            return;
        }
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            action(rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)), state);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
