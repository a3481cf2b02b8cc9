using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Providers.Vertex;
using Requesty.Router.Tests.Unit.Providers;

namespace Requesty.Router.Tests.Unit.Anthropic;

/// <summary>
/// A streamed Claude answer to JSON asked for by instruction reaches the client without its markdown code fence, as the
/// non-streamed one does (Claude on Vertex shares the translator); tool calls, the finish reason and usage are untouched.
/// </summary>
public sealed class AnthropicFencedJsonStreamTests
{
    private const string JsonObjectRequest = """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""";
    private const string PlainRequest = """{"messages":[{"role":"user","content":"hi"}]}""";

    private static readonly string[] FencedDeltas = ["``", "`json\n{", "\"a\":1}\n`", "``"];

    private static async Task<(RecordingChatOutput Output, RequestRecord Record, string Answer)> RelayAsync(string sse, string chat, string modelId = "anthropic/claude-sonnet-4-5")
    {
        var output = new RecordingChatOutput();
        var record = ProviderTestData.Record();
        var request = new ChatCompletionRequest(JsonNode.Parse(chat)!.AsObject(), BuiltInModels.All.Single(m => m.Id == modelId), Stream: true);
        await using var upstream = new MemoryStream(Encoding.UTF8.GetBytes(sse));
        var answer = await new AnthropicStreamTranslator(TimeProvider.System).RelayAsync(upstream, output, record, request, AnthropicChatProvider.SendsStructuredOutputs(request), CancellationToken.None);
        return (output, record, answer);
    }

    private static string Content(RecordingChatOutput output) =>
        string.Concat(output.Chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>()));

    [Fact]
    public async Task A_fenced_answer_to_a_json_object_request_streams_as_the_bare_json_and_is_recorded_so()
    {
        var (output, _, answer) = await RelayAsync(AnthropicTextStream.Sse(FencedDeltas), JsonObjectRequest);

        Assert.Equal("""{"a":1}""", Content(output));
        Assert.Equal("""{"a":1}""", answer);
    }

    [Fact]
    public async Task A_json_schema_the_model_cannot_enforce_is_de_fenced_and_one_it_enforces_is_left_alone()
    {
        const string SchemaRequest = """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}}""";

        Assert.Equal("""{"a":1}""", Content((await RelayAsync(AnthropicTextStream.Sse(FencedDeltas), SchemaRequest, "anthropic/claude-sonnet-4-20250514")).Output));
        Assert.Equal(string.Concat(FencedDeltas), Content((await RelayAsync(AnthropicTextStream.Sse(FencedDeltas), SchemaRequest)).Output));
    }

    [Fact]
    public async Task Without_a_json_response_format_the_text_streams_with_its_fence_delta_for_delta()
    {
        var (output, _, answer) = await RelayAsync(AnthropicTextStream.Sse(FencedDeltas), PlainRequest);

        Assert.Equal(FencedDeltas, output.Chunks.Skip(1).Take(FencedDeltas.Length).Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>()));
        Assert.Equal(string.Concat(FencedDeltas), answer);
    }

    [Fact]
    public async Task Tool_calls_the_finish_reason_and_usage_are_unaffected()
    {
        var (output, record, _) = await RelayAsync(AnthropicTextStream.Sse(FencedDeltas, withToolCall: true), JsonObjectRequest);

        Assert.Equal("""{"a":1}""", Content(output));
        var call = output.Chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]).OfType<JsonArray>().ToList();
        Assert.Equal("save", call[0][0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"ok":true}""", call[1][0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal(["toolu_1"], record.ToolCalls.Select(c => c.Id));
        Assert.Equal("tool_calls", output.Chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(9, output.Chunks[^1]["usage"]!["completion_tokens"]!.GetValue<long>());
        Assert.Equal(new TokenUsage { InputTokens = 7, OutputTokens = 9 }, record.Usage);
    }

    [Fact]
    public async Task Claude_on_vertex_streams_the_bare_json_too()
    {
        var provider = new VertexChatProvider(null!, null!, null!, null!, new AnthropicStreamTranslator(TimeProvider.System), TimeProvider.System);
        var output = new RecordingChatOutput();
        var request = new ChatCompletionRequest(JsonNode.Parse(JsonObjectRequest)!.AsObject(), BuiltInModels.All.Single(m => m.Id == "vertex/claude-sonnet-4-5"), Stream: true);
        using var upstream = ProviderTestData.Upstream(AnthropicTextStream.Sse(FencedDeltas));

        await provider.RelayStreamAsync(upstream, output, ProviderTestData.Record(), request, CancellationToken.None);

        Assert.Equal("""{"a":1}""", Content(output));
    }

    [Fact]
    public async Task Claude_on_vertex_gets_a_json_schema_as_an_instruction_so_its_answer_is_de_fenced_streamed_or_not()
    {
        const string SchemaRequest = """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}}""";
        var provider = new VertexChatProvider(null!, null!, null!, null!, new AnthropicStreamTranslator(TimeProvider.System), TimeProvider.System);
        var model = BuiltInModels.All.Single(m => m.Id == "vertex/claude-sonnet-4-5");
        Assert.False(VertexChatProvider.ToRawPredictBody(JsonNode.Parse(SchemaRequest)!.AsObject(), model.UpstreamModel).ContainsKey("output_config"));

        var streamed = new RecordingChatOutput();
        using (var upstream = ProviderTestData.Upstream(AnthropicTextStream.Sse(FencedDeltas)))
            await provider.RelayStreamAsync(upstream, streamed, ProviderTestData.Record(),
                new ChatCompletionRequest(JsonNode.Parse(SchemaRequest)!.AsObject(), model, Stream: true), CancellationToken.None);

        var whole = new RecordingChatOutput();
        const string Message = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"```json\n{\"a\":1}\n```"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}}""";
        using (var upstream = ProviderTestData.Upstream(Message, "application/json"))
            await provider.RelayCompletionAsync(upstream, whole, ProviderTestData.Record(),
                new ChatCompletionRequest(JsonNode.Parse(SchemaRequest)!.AsObject(), model, Stream: false), CancellationToken.None);

        Assert.Equal("""{"a":1}""", Content(streamed));
        Assert.Equal("""{"a":1}""", whole.Completion!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }
}
