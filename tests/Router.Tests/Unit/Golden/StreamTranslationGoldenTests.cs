using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.Messages;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Providers.Google;

namespace Requesty.Router.Tests.Unit.Golden;

/// <summary>
/// Recorded provider streams through the translators, compared with recorded expected output: the bug classes
/// users report in other gateways (tool calls lost in streams, parallel tools, dropped thinking signatures,
/// cache tokens counted twice, cost missing on streams).
/// </summary>
public sealed class StreamTranslationGoldenTests
{
    private static CatalogModel Model(string id) => BuiltInModels.All.Single(m => m.Id == id);

    [Fact]
    public async Task Anthropic_stream_with_thinking_and_two_parallel_tools_becomes_OpenAI_chunks_with_both_calls_and_their_indexes()
    {
        var model = Model("anthropic/claude-sonnet-4-5");
        var output = new RecordingChatOutput();
        var record = GoldenFiles.Record();
        await using var upstream = GoldenFiles.Open("anthropic-thinking-parallel-tools.sse");

        var answer = await new AnthropicStreamTranslator(new FixedTime(GoldenFiles.Now))
            .RelayAsync(upstream, output, record, new ChatCompletionRequest(new JsonObject(), model, Stream: true), structuredOutputs: true, CancellationToken.None);

        GoldenFiles.AssertSemanticallyEqual(GoldenFiles.Json("anthropic-thinking-parallel-tools.openai-chunks.json"), output.Chunks);
        Assert.True(output.Started && output.Ended);
        Assert.Equal("Checking both cities.", answer);
        Assert.Equal(
            [("toolu_01Paris", "get_weather", 17), ("toolu_02Tokyo", "get_weather", 17)],
            record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
    }

    [Fact]
    public async Task Anthropic_cache_reads_and_writes_are_counted_once_and_the_stream_is_priced_from_its_final_usage()
    {
        var model = Model("anthropic/claude-sonnet-4-5");
        var record = GoldenFiles.Record();
        await using var upstream = GoldenFiles.Open("anthropic-thinking-parallel-tools.sse");

        await new AnthropicStreamTranslator(new FixedTime(GoldenFiles.Now))
            .RelayAsync(upstream, new RecordingChatOutput(), record, new ChatCompletionRequest(new JsonObject(), model, Stream: true), structuredOutputs: true, CancellationToken.None);

        // message_start carries input and cache counts, message_delta the final output count.
        Assert.Equal(new TokenUsage { InputTokens = 120, CacheReadTokens = 3000, CacheWriteTokens = 2000, OutputTokens = 89 }, record.Usage);
        // 120 x $3 + 3000 x $0.30 + 2000 x $3.75 + 89 x $15, per million tokens.
        Assert.Equal(0.010095m, CostCalculator.Cost(record.Usage, model.Price));
        Assert.Equal((5120m * 3.00m + 89m * 15.00m) / 1_000_000m, CostCalculator.CostWithoutCache(record.Usage, model.Price));
    }

    [Fact]
    public async Task Anthropic_passthrough_keeps_thinking_signatures_and_every_event_but_the_message_id()
    {
        var record = GoldenFiles.Record("messages");
        var (response, body) = GoldenFiles.Response();
        var request = new JsonObject { ["model"] = "claude-sonnet-4-5-20250929", ["stream"] = true };
        var passthrough = new AnthropicMessagesPassthrough(new HttpClient(), request, "2023-06-01", null, response, "msg_ours", new FixedTime(GoldenFiles.Now));
        using var upstream = new HttpResponseMessage { Content = new StreamContent(GoldenFiles.Open("anthropic-thinking-parallel-tools.sse")) };

        await passthrough.RelayAsync(upstream, record, CancellationToken.None);

        var expected = GoldenFiles.SseEvents(GoldenFiles.Text("anthropic-thinking-parallel-tools.sse"));
        expected[0]!["data"]!["message"]!["id"] = "msg_ours";
        var relayed = GoldenFiles.SseEvents(GoldenFiles.Written(body));
        GoldenFiles.AssertSemanticallyEqual(expected, relayed);
        Assert.Contains(relayed, e => e!["data"]!["delta"]?["signature"]?.GetValue<string>() == "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYcvPc1MQLjXhWm8iMJz4rwDgM+KuLhWQ0YtQ==");
        Assert.Equal(new TokenUsage { InputTokens = 120, CacheReadTokens = 3000, CacheWriteTokens = 2000, OutputTokens = 89 }, record.Usage);
        Assert.Equal(["toolu_01Paris", "toolu_02Tokyo"], record.ToolCalls.Select(c => c.Id));
    }

    [Fact]
    public async Task OpenAI_chunks_with_parallel_tool_calls_become_the_exact_Anthropic_event_sequence_with_cache_reads_apart()
    {
        var (response, body) = GoldenFiles.Response();
        var output = new AnthropicMessagesOutput(response, "openai/gpt-4o", "msg_golden");

        await output.StartStreamAsync(CancellationToken.None);
        foreach (var chunk in GoldenFiles.SseEvents(GoldenFiles.Text("openai-parallel-tools.sse")))
        {
            await output.WriteChunkAsync(chunk!["data"]!.AsObject(), null, CancellationToken.None);
        }
        await output.EndStreamAsync(CancellationToken.None);

        GoldenFiles.AssertSemanticallyEqual(GoldenFiles.Json("openai-parallel-tools.anthropic-events.json"), GoldenFiles.SseEvents(GoldenFiles.Written(body)));
    }

    [Fact]
    public async Task Gemini_function_calls_in_separate_stream_chunks_keep_distinct_indexes_and_the_usage_is_priced()
    {
        var model = Model("google/gemini-2.5-flash");
        var output = new RecordingChatOutput();
        var record = GoldenFiles.Record();
        await using var upstream = GoldenFiles.Open("gemini-parallel-function-calls.sse");

        var answer = await new GeminiStreamTranslator(new FixedTime(GoldenFiles.Now))
            .RelayAsync(upstream, output, record, new ChatCompletionRequest(new JsonObject(), model, Stream: true), CancellationToken.None);

        GoldenFiles.AssertSemanticallyEqual(GoldenFiles.Json("gemini-parallel-function-calls.openai-chunks.json"), output.Chunks);
        Assert.Equal("Let me check both cities.", answer);
        Assert.Equal(["get_weather", "get_weather"], record.ToolCalls.Select(c => c.Name));
        // Gemini counts cached tokens inside promptTokenCount: 900 = 300 new + 600 cached; thinking is billed as output.
        Assert.Equal(new TokenUsage { InputTokens = 300, CacheReadTokens = 600, OutputTokens = 42, ReasoningTokens = 12 }, record.Usage);
        Assert.Equal(0.000240m, CostCalculator.Cost(record.Usage, model.Price));
    }
}
