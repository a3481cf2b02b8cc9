using System.Text.Json.Nodes;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Tests.Unit;

public class OpenAIUsageTests
{
    [Fact]
    public void Cached_tokens_are_taken_out_of_input_so_they_are_not_charged_twice()
    {
        var usage = OpenAIUsage.Read(JsonNode.Parse("""
            {"prompt_tokens":3000,"completion_tokens":120,"total_tokens":3120,
             "prompt_tokens_details":{"cached_tokens":2000},"completion_tokens_details":{"reasoning_tokens":80}}
            """));

        Assert.NotNull(usage);
        Assert.Equal(1000, usage.InputTokens);
        Assert.Equal(2000, usage.CacheReadTokens);
        Assert.Equal(120, usage.OutputTokens);
        Assert.Equal(80, usage.ReasoningTokens);
        Assert.Equal(3120, usage.TotalTokens);
    }

    [Fact]
    public void Missing_usage_reads_as_null() => Assert.Null(OpenAIUsage.Read(null));
}
