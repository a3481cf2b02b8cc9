using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Tests.Unit.Golden;

namespace Requesty.Router.Tests.Unit.Passthrough;

/// <summary>
/// /v1/messages to an Anthropic model: the answer or the stream reaches the client as the upstream sent it, byte for
/// byte, but for the message id (ours); usage, answer text, tool calls and errors are read off it on the way.
/// </summary>
public sealed class AnthropicMessagesPassthroughTests
{
    private const string OurId = "msg_requesty_ours";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_stream_passes_through_unchanged_but_for_our_message_id_and_is_accounted(bool crlf)
    {
        var upstream = GoldenFiles.Text("anthropic-thinking-parallel-tools.sse").ReplaceLineEndings(crlf ? "\r\n" : "\n");

        var (body, answer, record) = await RelayAsync(upstream);

        var sent = upstream.ReplaceLineEndings("\n").Split('\n');
        var received = body.Split('\n');
        Assert.Equal(sent.Length, received.Length);
        for (var i = 0; i < sent.Length; i++)
        {
            if (!sent[i].Contains("\"message_start\"", StringComparison.Ordinal))
            {
                Assert.Equal(sent[i], received[i]);
                continue;
            }
            var expected = JsonNode.Parse(sent[i]["data: ".Length..])!;
            expected["message"]!["id"] = OurId;
            GoldenFiles.AssertSemanticallyEqual(expected, JsonNode.Parse(received[i]["data: ".Length..]));
        }
        Assert.Equal("Checking both cities.", answer); // thinking is not answer text
        Assert.Equal(new TokenUsage { InputTokens = 120, CacheWriteTokens = 2000, CacheReadTokens = 3000, OutputTokens = 89 }, record.Usage);
        Assert.Equal([("toolu_01Paris", "get_weather", 17), ("toolu_02Tokyo", "get_weather", 17)],
            record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(GoldenFiles.Now.UtcDateTime, record.FirstTokenAt);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task Escaped_text_is_read_as_text_and_relayed_as_it_came()
    {
        const string upstream = """
            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 \"q\"\n<b> \ud83d\udc4d"}}

            event: content_block_delta
            data:{"delta":{"text":" ünï","type":"text_delta"},"index":0,"type":"content_block_delta"}

            """;

        var (body, answer, _) = await RelayAsync(upstream);

        Assert.Equal(upstream, body);
        Assert.Equal("café \"q\"\n<b> 👍 ünï", answer);
    }

    [Fact]
    public async Task An_error_event_fails_the_request_and_reaches_the_client()
    {
        const string upstream = """
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

            """;

        var (body, answer, record) = await RelayAsync(upstream);

        Assert.Equal(upstream, body);
        Assert.Equal("Hel", answer);
        Assert.Equal(502, record.HttpStatus);
        Assert.Equal("anthropic: Overloaded", record.ErrorMessage);
    }

    [Fact]
    public async Task Lines_that_are_not_what_they_should_be_pass_through_without_failing_the_stream()
    {
        const string upstream = """
            : comment
            data: not json
            data: {"type":5,"index":"x","delta":[1]}
            data: {"type":"content_block_delta","index":"x","delta":{"type":7,"text":"ignored"}}
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}

            """;

        var (body, answer, record) = await RelayAsync(upstream);

        Assert.Equal(upstream, body);
        Assert.Equal("ok", answer);
        Assert.Empty(record.ToolCalls); // input for a block that never started
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public void The_delta_reader_finds_its_fields_in_any_order_and_counts_unescaped_input_bytes()
    {
        var facts = AnthropicDeltaEvent.Read("""{ "delta" : {"partial_json":"{\"city\": \"Z\u00fcrich\"}","type":"input_json_delta"}, "index" : 3 , "type":"content_block_delta" }"""u8);

        Assert.Equal(new AnthropicDeltaEvent.Facts(true, 3, null, Encoding.UTF8.GetByteCount("{\"city\": \"Zürich\"}")), facts);
        Assert.False(AnthropicDeltaEvent.Read("""{"type":"content_block_stop","index":0}"""u8).IsDelta);
        Assert.False(AnthropicDeltaEvent.Read("""{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"""u8).IsDelta);
        Assert.Null(AnthropicDeltaEvent.Read("""{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm","text":"x"}}"""u8).Text);
        Assert.False(AnthropicDeltaEvent.Read("""{"type":"content_block_delta","index":"""u8).IsDelta); // cut short
    }

    [Fact]
    public async Task A_message_comes_back_byte_for_byte_with_our_id_where_the_upstreams_was()
    {
        const string upstream = """
            {"content":[{"type":"thinking","thinking":"hm","signature":"c2ln"},{"type":"text","text":"caf\u00e9 <b> \"q\" ünï"},
              {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"é"}}],
             "id" : "msg_upstream", "type":"message","role":"assistant","model":"claude-haiku-4-5","stop_reason":"tool_use",
             "usage":{"input_tokens":10,"cache_read_input_tokens":4,"cache_creation_input_tokens":2,"output_tokens":7}}
            """;

        var (body, answer, record, contentLength) = await RelayMessageAsync(upstream);

        Assert.Equal(upstream.Replace("\"msg_upstream\"", $"\"{OurId}\"", StringComparison.Ordinal), body);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), contentLength);
        Assert.Equal("café <b> \"q\" ünï", answer);
        Assert.Equal(new TokenUsage { InputTokens = 10, CacheReadTokens = 4, CacheWriteTokens = 2, OutputTokens = 7 }, record.Usage);
        Assert.Equal([("toolu_1", "lookup", Encoding.UTF8.GetByteCount("""{"q":"é"}"""))], record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(GoldenFiles.Now.UtcDateTime, record.FirstTokenAt);
    }

    [Fact]
    public async Task A_message_without_an_id_gets_ours()
    {
        var (body, answer, _, contentLength) = await RelayMessageAsync("""{"type":"message","content":[{"type":"text","text":"hi"}]}""");

        Assert.Equal(OurId, JsonNode.Parse(body)!["id"]!.GetValue<string>());
        Assert.Equal("hi", JsonNode.Parse(body)!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), contentLength);
        Assert.Equal("hi", answer);
    }

    private static async Task<(string Body, string? Answer, RequestRecord Record)> RelayAsync(string upstreamSse)
    {
        var (body, answer, record, _) = await RelayAsync(upstreamSse, stream: true);
        return (body, answer, record);
    }

    private static Task<(string Body, string? Answer, RequestRecord Record, long? ContentLength)> RelayMessageAsync(string upstreamJson) =>
        RelayAsync(upstreamJson, stream: false);

    private static async Task<(string Body, string? Answer, RequestRecord Record, long? ContentLength)> RelayAsync(string upstreamBody, bool stream)
    {
        var (response, body) = GoldenFiles.Response();
        var record = GoldenFiles.Record("messages");
        var passthrough = new AnthropicMessagesPassthrough(new HttpClient(), new JsonObject { ["stream"] = stream }, null, null, response, OurId,
            new FixedTime(GoldenFiles.Now));
        using var upstream = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(upstreamBody) };
        var answer = await passthrough.RelayAsync(upstream, record, CancellationToken.None);
        return (GoldenFiles.Written(body), answer, record, response.ContentLength);
    }
}
