using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class SessionHasherTests
{
    [Fact]
    public void A_follow_up_request_continues_the_conversation_of_the_previous_one()
    {
        var first = Conversation.OfOpenAIChat(JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]
            """)!.AsArray());
        var firstHashes = SessionHasher.Compute(first, "Hello! How can I help?");

        var second = Conversation.OfOpenAIChat(JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]},
             {"role":"assistant","content":"Hello! How can I help?"},{"role":"user","content":"Tell me a joke"}]
            """)!.AsArray());
        var secondHashes = SessionHasher.Compute(second, "No.");

        Assert.Equal(firstHashes.ConversationHash, secondHashes.PrefixHash);
        Assert.Equal(firstHashes.FirstMessageHash, secondHashes.FirstMessageHash);
        Assert.NotEqual(firstHashes.ConversationHash, secondHashes.ConversationHash);
    }

    [Fact]
    public void Message_boundaries_matter()
    {
        var a = SessionHasher.Compute([("user", "ab"), ("user", "c")], null);
        var b = SessionHasher.Compute([("user", "a"), ("user", "bc")], null);
        Assert.NotEqual(a.ConversationHash, b.ConversationHash);
    }

    [Fact]
    public void A_single_message_has_no_prefix()
    {
        var hashes = SessionHasher.Compute([("user", "Hi")], "Hello");
        Assert.Null(hashes.PrefixHash);
        Assert.NotNull(hashes.ConversationHash);
    }

    public static TheoryData<string[], string?> Conversations => new()
    {
        { ["user", "hi"], "hello" },
        { ["user", "hi"], null },
        { ["system", "", "user", "", "assistant", "x", "user", "y"], "" },
        { ["system", "Du bist hilfreich. 日本語も話せます 🙂", "user", new string('é', 700), "assistant", "ok"], new string('x', 5000) },
        { ["a-role-name-longer-than-sixteen", "text", "user", "second"], "answer" },
        { ["tool", "{\"temp\":21}", "user", "thanks"], "you're welcome" },
    };

    [Theory]
    [MemberData(nameof(Conversations))]
    public void Hashes_stay_exactly_what_earlier_versions_computed(string[] rolesAndTexts, string? answer)
    {
        // Analytics joins requests into sessions across router versions, so the definition may never drift.
        var messages = rolesAndTexts.Chunk(2).Select(pair => (pair[0], pair[1])).ToList();

        var hashes = SessionHasher.Compute(messages, answer);

        Assert.Equal(Reference(messages, answer), (hashes.PrefixHash, hashes.ConversationHash, hashes.FirstMessageHash));
    }

    /// <summary>The definition, written plainly: SHA-256 over "len(role):role" + "utf8len(text):" + text for each message.</summary>
    private static (string?, string?, string?) Reference(List<(string Role, string Text)> messages, string? answer)
    {
        static byte[] Part(string role, string text) =>
            System.Text.Encoding.UTF8.GetBytes($"{role.Length}:{role}{System.Text.Encoding.UTF8.GetByteCount(text)}:{text}");
        static string Hex(IEnumerable<byte[]> parts) =>
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parts.SelectMany(p => p).ToArray()));

        var all = messages.Select(m => Part(m.Role, m.Text)).ToList();
        var prefix = messages.Count > 1 ? Hex(all.Take(all.Count - 1)) : null;
        if (answer is not null) all.Add(Part("assistant", answer));
        var firstUser = messages.FirstOrDefault(m => m.Role == "user").Text;
        return (prefix, Hex(all), firstUser is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(firstUser))));
    }
}
