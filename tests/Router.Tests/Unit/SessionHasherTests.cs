using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class SessionHasherTests
{
    [Fact]
    public void A_follow_up_request_continues_the_conversation_of_the_previous_one()
    {
        var first = SessionHasher.ReadOpenAIMessages(JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]
            """)!.AsArray());
        var firstHashes = SessionHasher.Compute(first, "Hello! How can I help?");

        var second = SessionHasher.ReadOpenAIMessages(JsonNode.Parse("""
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
}
