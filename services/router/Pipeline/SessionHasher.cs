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
            if (i == messages.Count - 1) prefix = Hex(hash.GetCurrentHash());
            Append(hash, messages[i].Role, messages[i].Text);
        }
        if (answer is not null) Append(hash, "assistant", answer);
        var firstUser = messages.FirstOrDefault(m => m.Role == "user");
        return new SessionHashes
        {
            PrefixHash = messages.Count > 1 ? prefix : null,
            ConversationHash = Hex(hash.GetCurrentHash()),
            FirstMessageHash = firstUser.Text is null ? null : Hex(SHA256.HashData(Encoding.UTF8.GetBytes(firstUser.Text))),
        };
    }

    /// <summary>Role and plain text of each OpenAI-format message (text parts joined; other parts ignored).</summary>
    public static List<(string Role, string Text)> ReadOpenAIMessages(JsonArray? messages)
    {
        var result = new List<(string, string)>();
        if (messages is null) return result;
        foreach (var message in messages.OfType<JsonObject>())
        {
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

    private static void Append(IncrementalHash hash, string role, string text)
    {
        // Length prefixes keep ("ab","c") and ("a","bc") apart.
        hash.AppendData(Encoding.UTF8.GetBytes($"{role.Length}:{role}{Encoding.UTF8.GetByteCount(text)}:"));
        hash.AppendData(Encoding.UTF8.GetBytes(text));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
