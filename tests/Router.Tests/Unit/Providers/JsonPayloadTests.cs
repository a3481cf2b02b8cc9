using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Providers;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class JsonPayloadTests
{
    [Fact]
    public void Values_from_the_clients_json_are_copied_as_the_client_wrote_them()
    {
        const string client = """{"content":"line\nnext \"quoted\" <tag> & caf\u00e9 \/ \t","n":1.50e2,"big":12345678901234567890123,"ok":true,"none":null}""";
        var body = JsonNode.Parse(client)!.AsObject();
        Touch(body); // validation reads every value: the nodes are materialised, not left as one parsed object

        Assert.Equal(client, Text(body));
    }

    [Fact]
    public async Task The_routers_changes_are_written_and_everything_else_is_kept()
    {
        var body = JsonNode.Parse("""
            {"model":"openai/gpt-4o-mini","requesty":{"tags":["a"]},
             "messages":[{"role":"system","content":"Be \"brief\".\n"},{"role":"user","content":[{"type":"text","text":"\u00fcber <b>"}]}],
             "tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}],
             "max_tokens":64}
            """)!.AsObject();
        body.Remove("requesty");
        body["model"] = "gpt-4o-mini";
        body["stream_options"] = new JsonObject { ["include_usage"] = true };
        body["messages"]!.AsArray().Add(new JsonObject { ["role"] = "assistant", ["content"] = "déjà vu <ok> \"q\"\n" });

        var content = JsonPayload.Content(body);
        var written = await content.ReadAsStringAsync();

        Assert.Equal("application/json", content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(written)), written);
        Assert.StartsWith("""{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be \"brief\".\n"},""", written);
        Assert.Contains("""{"type":"text","text":"\u00fcber <b>"}""", written);
        // The router's own text: JSON escaping only, UTF-8 otherwise.
        Assert.Contains("""{"role":"assistant","content":"déjà vu <ok> \"q\"\n"}""", written);
        Assert.EndsWith("""],"max_tokens":64,"stream_options":{"include_usage":true}}""", written);
        Assert.DoesNotContain("requesty", written);
    }

    [Fact]
    public void Values_moved_between_documents_and_built_values_mix()
    {
        var source = JsonNode.Parse("""{"schema":{"type":"object","required":["a"]},"text":"x\u0001y"}""")!.AsObject();
        var target = new JsonObject
        {
            ["input_schema"] = source["schema"]!.DeepClone(),
            ["text"] = source["text"]!.DeepClone(),
            ["count"] = 3,
            ["price"] = 0.25m,
            ["control"] = "a\u0001b",
            ["missing"] = null,
        };

        var written = Text(target);

        Assert.Equal("""{"input_schema":{"type":"object","required":["a"]},"text":"x\u0001y","count":3,"price":0.25,"control":"a\u0001b","missing":null}""", written);
    }

    [Fact]
    public void A_large_escaped_body_round_trips()
    {
        var file = new StringBuilder();
        for (var i = 0; i < 2000; i++) file.Append("\tif (a[\"k\"] < b) { return \"\\\\path\"; } // ü ✓\r\n");
        var client = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "tool", ["content"] = file.ToString() }) }.ToJsonString();
        var body = JsonNode.Parse(client)!.AsObject();
        Touch(body);

        var written = Text(body);

        Assert.Equal(client, written);
        Assert.Equal(file.ToString(), JsonNode.Parse(written)!["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Bodies_written_one_after_another_on_one_thread_are_independent()
    {
        var large = new JsonObject { ["content"] = new string('x', 3 * 1024 * 1024) }; // beyond the kept buffer
        var medium = new JsonObject { ["content"] = new string('y', 100_000) };
        var small = new JsonObject { ["n"] = 1 };

        Assert.Equal(large.ToJsonString(), Text(large));
        Assert.Equal(medium.ToJsonString(), Text(medium));
        Assert.Equal("""{"n":1}""", Text(small));
        Assert.Equal(medium.ToJsonString(), Text(medium));
        Assert.Equal("""{"n":1}""", Text(small));
    }

    [Fact]
    public void A_body_that_fails_half_written_leaves_nothing_behind_for_the_next()
    {
        var failing = new JsonObject { ["ok"] = "written first", ["bad"] = JsonValue.Create(new Unserialisable()) };

        Assert.ThrowsAny<Exception>(() => JsonPayload.Utf8(failing));
        Assert.Equal("""{"n":2}""", Text(new JsonObject { ["n"] = 2 }));
    }

    private sealed class Unserialisable
    {
        public int Value => throw new InvalidOperationException("cannot be written");
    }

    private static string Text(JsonNode node) => Encoding.UTF8.GetString(JsonPayload.Utf8(node));

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject properties: foreach (var (_, value) in properties) Touch(value); break;
            case JsonArray items: foreach (var item in items) Touch(item); break;
            case JsonValue value: _ = value.GetValueKind(); break;
        }
    }
}
