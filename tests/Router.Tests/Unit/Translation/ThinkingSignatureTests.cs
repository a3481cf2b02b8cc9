using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Tests.Unit.Golden;

namespace Requesty.Router.Tests.Unit.Translation;

/// <summary>
/// Anthropic thinking signatures survive the trip through OpenAI's format (message.thinking_blocks, or delta.thinking_blocks
/// in a stream) and go back to Anthropic ahead of the tool calls when the client continues the conversation.
/// </summary>
public class ThinkingSignatureTests
{
    private const string Signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYcvPc1MQLjXhWm8iMJz4rwDgM+KuLhWQ0YtQ==";

    [Fact]
    public void A_whole_answer_keeps_signed_and_redacted_thinking_as_thinking_blocks()
    {
        var message = JsonNode.Parse($$$"""
            {"id":"msg_1","content":[{"type":"thinking","thinking":"Two cities.","signature":"{{{Signature}}}"},
              {"type":"redacted_thinking","data":"opaque"},
              {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":7}}
            """)!;

        var completion = AnthropicResponseMapper.ToOpenAIChat(message, "anthropic/claude-sonnet-4-5", DateTimeOffset.UnixEpoch, out _);

        var assistant = completion["choices"]![0]!["message"]!;
        Assert.Equal("Two cities.", assistant["reasoning_content"]!.GetValue<string>());
        var blocks = assistant["thinking_blocks"]!.AsArray();
        Assert.Equal(Signature, blocks[0]!["signature"]!.GetValue<string>());
        Assert.Equal("opaque", blocks[1]!["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_streamed_answer_rebuilt_by_the_client_goes_back_with_its_signed_thinking_before_both_tool_calls()
    {
        var output = new RecordingChatOutput();
        await using var upstream = GoldenFiles.Open("anthropic-thinking-parallel-tools.sse");
        var model = BuiltInModels.All.Single(m => m.Id == "anthropic/claude-sonnet-4-5");
        await new AnthropicStreamTranslator(TimeProvider.System)
            .RelayAsync(upstream, output, GoldenFiles.Record(), new ChatCompletionRequest(new JsonObject(), model, Stream: true), structuredOutputs: true, CancellationToken.None);

        var assistant = Rebuild(output.Chunks);
        var request = AnthropicRequestMapper.FromOpenAIChat(new JsonObject
        {
            ["reasoning_effort"] = "low",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Weather in Paris and Tokyo?" },
                assistant,
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "toolu_01Paris", ["content"] = "18C" },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "toolu_02Tokyo", ["content"] = "22C" }),
        }, "claude-sonnet-4-5");

        var turn = request["messages"]![1]!["content"]!.AsArray();
        Assert.Equal(["thinking", "text", "tool_use", "tool_use"], turn.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("Two cities, so two weather calls.", turn[0]!["thinking"]!.GetValue<string>());
        Assert.Equal(Signature, turn[0]!["signature"]!.GetValue<string>());
        Assert.Equal(["toolu_01Paris", "toolu_02Tokyo"], turn.Skip(2).Select(b => b!["id"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Tokyo"}""", turn[3]!["input"]!.ToJsonString());
        Assert.Equal(2, request["messages"]![2]!["content"]!.AsArray().Count);
    }

    [Fact]
    public void Thinking_without_a_signature_is_not_sent_back_since_anthropic_would_reject_it()
    {
        var request = AnthropicRequestMapper.FromOpenAIChat(JsonNode.Parse("""
            {"messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","content":"Hello","reasoning_content":"greet","thinking_blocks":[{"type":"thinking","thinking":"greet"}]},
              {"role":"user","content":"Again"}]}
            """)!.AsObject(), "claude-sonnet-4-5");

        Assert.Equal(["text"], request["messages"]![1]!["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
    }

    /// <summary>What a client (LiteLLM-style) assembles from the chunks: text, reasoning, thinking blocks and tool calls by index.</summary>
    private static JsonObject Rebuild(JsonArray chunks)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var thinkingBlocks = new JsonArray();
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        foreach (var delta in chunks.Select(c => c!["choices"]!.AsArray().FirstOrDefault()?["delta"]).OfType<JsonObject>())
        {
            text.Append(delta["content"]?.GetValue<string>());
            reasoning.Append(delta["reasoning_content"]?.GetValue<string>());
            foreach (var block in delta["thinking_blocks"]?.AsArray() ?? []) thinkingBlocks.Add(block!.DeepClone());
            foreach (var call in delta["tool_calls"]?.AsArray() ?? [])
            {
                var index = call!["index"]!.GetValue<int>();
                if (!calls.ContainsKey(index)) calls[index] = (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), new StringBuilder());
                calls[index].Arguments.Append(call["function"]?["arguments"]?.GetValue<string>());
            }
        }
        return new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = text.ToString(),
            ["reasoning_content"] = reasoning.ToString(),
            ["thinking_blocks"] = thinkingBlocks,
            ["tool_calls"] = new JsonArray([.. calls.Values.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments.ToString() },
            })]),
        };
    }
}
