using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Providers.OpenAIResponses;

namespace Requesty.Router.Tests.Unit;

public class ResponsesUsageTests
{
    [Fact]
    public void Responses_usage_keeps_cache_reads_apart_and_reasoning_inside_output()
    {
        var usage = OpenAIResponsesUsage.Read(JsonNode.Parse("""
            {"input_tokens":120,"input_tokens_details":{"cached_tokens":20},"output_tokens":50,
             "output_tokens_details":{"reasoning_tokens":30},"total_tokens":170}
            """));

        Assert.Equal(new TokenUsage { InputTokens = 100, CacheReadTokens = 20, OutputTokens = 50, ReasoningTokens = 30 }, usage);
        Assert.Null(OpenAIResponsesUsage.Read(null));
    }

    [Fact]
    public void Written_usage_round_trips_and_carries_the_cost_as_a_decimal()
    {
        var usage = new TokenUsage { InputTokens = 100, CacheReadTokens = 20, OutputTokens = 50, ReasoningTokens = 30 };

        var written = OpenAIResponsesUsage.Write(usage, 0.000123m);

        Assert.Equal(usage, OpenAIResponsesUsage.Read(written));
        Assert.Equal(0.000123m, written["cost"]!.GetValue<decimal>());
        Assert.Contains("\"cost\":0.000123", written.ToJsonString(), StringComparison.Ordinal);
    }
}
