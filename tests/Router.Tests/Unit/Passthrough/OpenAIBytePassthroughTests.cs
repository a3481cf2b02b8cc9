using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Events;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.ChatCompletions;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Tests.Unit.Golden;
using Requesty.Router.Tests.Unit.Providers;

namespace Requesty.Router.Tests.Unit.Passthrough;

/// <summary>
/// The OpenAI passthrough relays upstream bytes with only the id replaced. Each case runs twice: through the byte path
/// (OpenAIChatOutput as <see cref="IOpenAIBytesOutput"/>) and through the parsed-tree path (the same output behind a
/// plain <see cref="IChatOutput"/>); the client must see the same JSON and the request record the same facts.
/// </summary>
public sealed class OpenAIBytePassthroughTests
{
    private const string Sse = """
        : keep-alive comment

        data: {"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data:{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"caf\u00e9 <b>\"quoted\"</b>\n"},"finish_reason":null}]}

        data: {"object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" ünïcode 👍"},"finish_reason":null}]}

        data: {"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}

        data: {"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}

        data: [DONE]
        """;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_stream_reaches_the_client_as_the_parsed_path_would_write_it_with_the_same_usage_text_and_first_token(bool clientWantsUsage, bool crlf)
    {
        var sse = crlf ? Sse.ReplaceLineEndings("\r\n") : Sse.ReplaceLineEndings("\n");
        var bytes = await RelayStreamAsync(sse, clientWantsUsage, bytesPath: true);
        var tree = await RelayStreamAsync(sse, clientWantsUsage, bytesPath: false);

        GoldenFiles.AssertSemanticallyEqual(GoldenFiles.SseEvents(tree.Normalised), GoldenFiles.SseEvents(bytes.Normalised));
        Assert.EndsWith("data: [DONE]\n\n", bytes.Body);
        Assert.Equal(tree.Answer, bytes.Answer);
        Assert.Equal("café <b>\"quoted\"</b>\n ünïcode 👍", bytes.Answer);
        Assert.Equal(new TokenUsage { InputTokens = 16, CacheReadTokens = 4, OutputTokens = 9, ReasoningTokens = 2 }, bytes.Record.Usage);
        Assert.Equal(GoldenFiles.Now.UtcDateTime, bytes.Record.FirstTokenAt);

        var events = GoldenFiles.SseEvents(bytes.Body);
        Assert.All(events, e => Assert.Equal(bytes.Record.RequestId.ToString(), e!["data"]!["id"]!.GetValue<string>()));
        Assert.Equal(clientWantsUsage ? 5 : 4, events.Count);
        Assert.Equal(clientWantsUsage, events.Any(e => e!["data"]!["usage"] is not null));
        // Untouched chunks keep the upstream's bytes (no re-escaping of non-ASCII or HTML characters).
        Assert.Contains("""{"content":"caf\u00e9 <b>\"quoted\"</b>\n"}""", bytes.Body);
    }

    [Fact]
    public async Task Streamed_parallel_tool_calls_are_recorded_and_relayed_like_the_parsed_path()
    {
        var sse = GoldenFiles.Text("openai-parallel-tools.sse");
        var bytes = await RelayStreamAsync(sse, clientWantsUsage: true, bytesPath: true);
        var tree = await RelayStreamAsync(sse, clientWantsUsage: true, bytesPath: false);

        GoldenFiles.AssertSemanticallyEqual(GoldenFiles.SseEvents(tree.Normalised), GoldenFiles.SseEvents(bytes.Normalised));
        Assert.Equal(
            [("call_Paris", "get_weather", 16), ("call_Tokyo", "get_weather", 16)],
            bytes.Record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(tree.Record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)), bytes.Record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(new TokenUsage { InputTokens = 2120, CacheReadTokens = 3000, OutputTokens = 40 }, bytes.Record.Usage);
    }

    [Fact]
    public async Task An_error_event_mid_stream_fails_the_request_and_ends_the_stream_there()
    {
        const string sse = """
            data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hel"}}]}

            data: {"error":{"message":"overloaded","type":"server_error"}}

            data: {"id":"x","choices":[{"index":0,"delta":{"content":"lo"}}]}

            data: [DONE]
            """;
        var result = await RelayStreamAsync(sse, clientWantsUsage: false, bytesPath: true);

        Assert.Equal("Hel", result.Answer);
        Assert.Equal(502, result.Record.HttpStatus);
        Assert.Equal("openai: overloaded", result.Record.ErrorMessage);
        var events = GoldenFiles.SseEvents(result.Body);
        Assert.Equal(2, events.Count);
        Assert.Equal("openai: overloaded", events[1]!["data"]!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_completion_is_relayed_with_our_id_and_its_usage_answer_and_tool_calls_are_recorded(bool withTools)
    {
        var message = withTools
            ? """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"é\"}"}}]}"""
            : """{"role":"assistant","content":"Hi \u00e9 <there>","refusal":null}""";
        var completion = $$$"""
            {
              "id": "chatcmpl-up", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
              "choices": [{"index": 0, "message": {{{message}}}, "finish_reason": "stop"}],
              "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16, "prompt_tokens_details": {"cached_tokens": 1}}
            }
            """;
        var bytes = await RelayCompletionAsync(completion, bytesPath: true);
        var tree = await RelayCompletionAsync(completion, bytesPath: false);

        GoldenFiles.AssertSemanticallyEqual(JsonNode.Parse(tree.Normalised), JsonNode.Parse(bytes.Normalised));
        Assert.Equal(bytes.Record.RequestId.ToString(), JsonNode.Parse(bytes.Body)!["id"]!.GetValue<string>());
        Assert.Equal(Encoding.UTF8.GetByteCount(bytes.Body), bytes.ContentLength);
        Assert.Equal(tree.Answer, bytes.Answer);
        Assert.Equal(withTools ? null : "Hi é <there>", bytes.Answer);
        Assert.Equal(new TokenUsage { InputTokens = 10, CacheReadTokens = 1, OutputTokens = 5 }, bytes.Record.Usage);
        Assert.Equal(withTools ? [("call_1", "lookup", 10)] : [], bytes.Record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
    }

    [Fact]
    public void The_reader_finds_the_id_value_and_the_shape_whatever_the_order_and_spacing()
    {
        var json = """{ "choices" : [ {"delta":{"content":"a"}}, {"delta":{}} ], "usage" : null, "id" :  "abc" , "x":{"id":1}}"""u8;

        var facts = OpenAIAnswerReader.Read(json, "delta"u8);

        Assert.True(facts.IsObject);
        Assert.Equal("\"abc\"", Encoding.UTF8.GetString(json.Slice(facts.Shape.IdStart, facts.Shape.IdLength)));
        Assert.Equal(2, facts.Shape.Choices);
        Assert.False(facts.Shape.HasUsage);
        Assert.Equal("a", OpenAIAnswerReader.Content(json, facts));
        Assert.False(OpenAIAnswerReader.Read("[1]"u8, "delta"u8).IsObject);
    }

    private sealed record Relayed(string Body, long? ContentLength, string? Answer, RequestRecord Record)
    {
        /// <summary>The body with this request's id written as "our-id", to compare runs of different requests.</summary>
        public string Normalised => Body.Replace(Record.RequestId.ToString(), "our-id", StringComparison.Ordinal);
    }

    private static async Task<Relayed> RelayStreamAsync(string sse, bool clientWantsUsage, bool bytesPath)
    {
        var (http, body) = Response();
        var record = GoldenFiles.Record();
        var output = Output(http, clientWantsUsage, record, bytesPath);
        await using var upstream = new MemoryStream(Encoding.UTF8.GetBytes(sse));
        var answer = await new OpenAIStreamRelay(new FixedTime(GoldenFiles.Now)).RelayAsync(upstream, output, record, CancellationToken.None);
        return new Relayed(Encoding.UTF8.GetString(body.ToArray()), http.Response.ContentLength, answer, record);
    }

    private static async Task<Relayed> RelayCompletionAsync(string completion, bool bytesPath)
    {
        var (http, body) = Response();
        var record = GoldenFiles.Record();
        var output = Output(http, clientWantsUsage: false, record, bytesPath);
        using var upstream = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(completion) };
        var provider = new OpenAIChatProvider(new UnusedHttpClientFactory(), new OpenAIStreamRelay(TimeProvider.System), new FixedTime(GoldenFiles.Now));
        var model = BuiltInModels.All.First(m => m.Provider == "openai" && m.Kind == ModelKind.Chat);
        var answer = await provider.RelayCompletionAsync(upstream, output, record, new ChatCompletionRequest(new JsonObject(), model, Stream: false), CancellationToken.None);
        return new Relayed(Encoding.UTF8.GetString(body.ToArray()), http.Response.ContentLength, answer, record);
    }

    private static (DefaultHttpContext Http, MemoryStream Body) Response()
    {
        var body = new MemoryStream();
        var http = new DefaultHttpContext();
        http.Response.Body = body;
        return (http, body);
    }

    private static IChatOutput Output(HttpContext http, bool clientWantsUsage, RequestRecord record, bool bytesPath)
    {
        var output = new OpenAIChatOutput(http.Response, clientWantsUsage, record.RequestId);
        return bytesPath ? output : new TreeOnly(output);
    }

    /// <summary>The same output without its byte path: what every chunk went through before.</summary>
    private sealed class TreeOnly(IChatOutput inner) : IChatOutput
    {
        public Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
            inner.WriteCompletionAsync(completion, raw, cancellationToken);

        public Task StartStreamAsync(CancellationToken cancellationToken) => inner.StartStreamAsync(cancellationToken);

        public Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken) => inner.WriteChunkAsync(chunk, raw, cancellationToken);

        public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken) => inner.WriteStreamErrorAsync(message, cancellationToken);

        public Task EndStreamAsync(CancellationToken cancellationToken) => inner.EndStreamAsync(cancellationToken);
    }
}
