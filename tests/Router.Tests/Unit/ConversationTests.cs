using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

/// <summary>
/// Session hashes read the conversation as UTF-8 straight from the request's JSON; they must equal the hashes of the
/// same messages read as .NET strings (how every earlier router version read them), whatever the escaping.
/// </summary>
public class ConversationTests
{
    private static readonly string[] Texts =
    [
        "", "plain ascii", "line one\nline two\ttabbed \"quoted\" back\\slash /slash",
        "control \u0001\u001f chars \b\f\r", "Grüße, 日本語, emoji 🙂👍🏽 and a zero-width joiner 👨‍👩‍👧",
        "html <b>&amp;</b> 'single'", "def main():\n    print(\"hi\")\n", new string('é', 3000) + "🙂" + new string('x', 5000),
    ];

    public static TheoryData<string> Encodings => new() { "default", "relaxed" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Unescaping_gives_the_UTF8_of_the_string_System_Text_Json_reads(string encoding)
    {
        foreach (var text in Texts)
        {
            var json = JsonSerializer.Serialize(text, Options(encoding));
            var escaped = Encoding.UTF8.GetBytes(json)[1..^1];
            var destination = new byte[escaped.Length];

            var written = JsonText.Unescape(escaped, destination);

            Assert.Equal(Encoding.UTF8.GetBytes(JsonSerializer.Deserialize<string>(json)!), destination[..written]);
        }
    }

    [Theory]
    [InlineData(@"\u00e9\u00E9", "éé")]
    [InlineData(@"\ud83d\ude42 and \uD83D\uDE42 and \ud83d\uDE42", "🙂 and 🙂 and 🙂")]
    [InlineData(@"\/\\\""", "/\\\"")]
    [InlineData(@"a\u0000b", "a\0b")]
    [InlineData(@"\\u0041 is not an escape", @"\u0041 is not an escape")]
    public void Hand_written_escapes_are_read_as_JSON_defines_them(string escaped, string expected)
    {
        var source = Encoding.UTF8.GetBytes(escaped);
        var destination = new byte[source.Length];
        Assert.Equal(Encoding.UTF8.GetBytes(expected), destination[..JsonText.Unescape(source, destination)]);
    }

    [Theory]
    [InlineData(@"\ud83d alone")]
    [InlineData(@"\ude42 alone")]
    [InlineData(@"\ud83d\u0041")]
    public void Half_a_surrogate_pair_becomes_the_replacement_character_as_when_NET_encodes_it(string escaped)
    {
        var source = Encoding.UTF8.GetBytes(escaped);
        var destination = new byte[source.Length];
        var text = Encoding.UTF8.GetString(destination[..JsonText.Unescape(source, destination)]);
        Assert.StartsWith("\uFFFD", text);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void OpenAI_messages_hash_as_their_string_texts(string encoding)
    {
        var messages = new JsonArray();
        foreach (var (text, i) in Texts.Select((t, i) => (t, i)))
        {
            messages.Add(new JsonObject { ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = text });
            messages.Add(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = text },
                    new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "data:image/png;base64,AAAA" } },
                    new JsonObject { ["type"] = "text", ["text"] = "+" + text }),
            });
        }
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray() });
        messages.Add(new JsonObject { ["role"] = "tool", ["content"] = 42 });
        messages.Add("not a message");

        var parsed = Parse(messages, encoding).AsArray();

        var expected = SessionHasher.Compute(OpenAIAsStrings(parsed), "the answer 🙂");
        Assert.Equal(expected, SessionHasher.Compute(Conversation.OfOpenAIChat(parsed), "the answer 🙂"));
        // Nodes the router made itself (a lone "prompt" becomes a message) hash the same as parsed ones.
        Assert.Equal(expected, SessionHasher.Compute(Conversation.OfOpenAIChat(messages), "the answer 🙂"));
        Assert.NotNull(expected.PrefixHash);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Anthropic_requests_hash_as_their_string_texts(string encoding)
    {
        foreach (JsonNode? system in new JsonNode?[] { null, "", "Be brief.\n\"Always\".", new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "block 日本" }) })
        {
            var request = new JsonObject
            {
                ["system"] = system?.DeepClone(),
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["content"] = Texts[2] },
                    new JsonObject
                    {
                        ["role"] = "assistant",
                        ["content"] = new JsonArray(
                            new JsonObject { ["type"] = "thinking", ["thinking"] = "hmm", ["signature"] = "sig" },
                            new JsonObject { ["type"] = "text", ["text"] = Texts[4] },
                            new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "read", ["input"] = new JsonObject() }),
                    },
                    new JsonObject
                    {
                        ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t1", ["content"] = Texts[6] }),
                    }),
            };
            var parsed = Parse(request, encoding).AsObject();

            Assert.Equal(SessionHasher.Compute(AnthropicAsStrings(parsed), null), SessionHasher.Compute(Conversation.OfAnthropicMessages(parsed), null));
        }
    }

    [Fact]
    public void A_system_prompt_alone_is_the_whole_conversation()
    {
        var request = JsonNode.Parse("""{"system":"only this","messages":[]}""")!.AsObject();
        var hashes = SessionHasher.Compute(Conversation.OfAnthropicMessages(request), "answer");
        Assert.Equal(SessionHasher.Compute([("system", "only this")], "answer"), hashes);
        Assert.Null(hashes.PrefixHash);
    }

    [Fact]
    public void Hashing_one_conversation_after_another_on_one_thread_leaves_nothing_behind()
    {
        // The digest is kept per thread between events; a large text makes it drop its buffer.
        List<(string, string)> small = [("system", "Be brief."), ("user", "Hi")];
        List<(string, string)> large = [("user", new string('x', 3 * 1024 * 1024))];
        var first = SessionHasher.Compute(small, "Hello");

        var afterEmpty = (SessionHasher.Compute(Conversation.None, "x"), SessionHasher.Compute(small, "Hello"));
        var afterLarge = (SessionHasher.Compute(large, null), SessionHasher.Compute(small, "Hello"));
        var afterSingle = (SessionHasher.Compute([("user", "other")], "answer"), SessionHasher.Compute(small, "Hello"));

        Assert.Equal(first, afterEmpty.Item2);
        Assert.Equal(first, afterLarge.Item2);
        Assert.Equal(first, afterSingle.Item2);
        Assert.Null(afterSingle.Item1.PrefixHash);
    }

    [Fact]
    public void No_conversation_has_no_hashes()
    {
        Assert.Null(SessionHasher.Compute(Conversation.None, "answer").ConversationHash);
        Assert.Null(SessionHasher.Compute(Conversation.OfOpenAIChat(new JsonArray("x", 1)), "answer").ConversationHash);
    }

    private static JsonSerializerOptions Options(string encoding) => encoding == "relaxed"
        ? new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
        : new JsonSerializerOptions();

    private static JsonNode Parse(JsonNode node, string encoding) =>
        JsonNode.Parse(Encoding.UTF8.GetBytes(node.ToJsonString(Options(encoding))))!;

    // How router versions up to this one read the texts: as .NET strings.
    private static List<(string Role, string Text)> OpenAIAsStrings(JsonArray messages) =>
        messages.OfType<JsonObject>().Select(m => (m["role"]?.GetValue<string>() ?? "", m["content"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Where(p => p["type"]?.GetValue<string>() == "text")
                .Select(p => p["text"]?.GetValue<string>() ?? "")),
            _ => "",
        })).ToList();

    private static List<(string Role, string Text)> AnthropicAsStrings(JsonObject request)
    {
        static string? Text(JsonNode? content) => content switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray blocks => string.Concat(blocks.OfType<JsonObject>().Where(b => JsonBody.String(b["type"]) == "text").Select(b => JsonBody.String(b["text"]))),
            _ => null,
        };
        var result = new List<(string, string)>();
        if (Text(request["system"]) is { Length: > 0 } system) result.Add(("system", system));
        foreach (var message in (request["messages"] as JsonArray ?? []).OfType<JsonObject>())
            result.Add((JsonBody.String(message["role"]) ?? "user", Text(message["content"]) ?? ""));
        return result;
    }
}
