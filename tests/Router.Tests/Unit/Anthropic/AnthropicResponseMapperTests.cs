using System.Text.Json.Nodes;
using Requesty.Router.Providers.Anthropic;

namespace Requesty.Router.Tests.Unit.Anthropic;

public class AnthropicResponseMapperTests
{
    [Fact]
    public void Text_tool_use_and_usage_map_to_an_openai_completion()
    {
        var message = JsonNode.Parse("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"Checking."},
                        {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use",
             "usage":{"input_tokens":100,"output_tokens":20,"cache_read_input_tokens":300,"cache_creation_input_tokens":50}}
            """)!;

        var completion = AnthropicResponseMapper.ToOpenAIChat(message, "anthropic/claude-sonnet-4-5", DateTimeOffset.UnixEpoch, out var usage);

        var choice = completion["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("Checking.", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("hmm", choice["message"]!["reasoning_content"]!.GetValue<string>());
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("toolu_1", call["id"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>());
        Assert.Equal((100, 300, 50, 20), (usage.InputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.OutputTokens));
        Assert.Equal(450, completion["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(300, completion["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("stop_sequence", "stop")]
    public void Stop_reasons_map_to_finish_reasons(string stopReason, string finishReason) =>
        Assert.Equal(finishReason, AnthropicResponseMapper.FinishReason(stopReason));
}
