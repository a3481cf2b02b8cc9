using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Embeddings;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Tests.Unit;

public sealed class EmbeddingsRequestRulesTests
{
    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("[\"a\",\"b\"]")]
    [InlineData("[1,2,3]")]
    [InlineData("[[1,2],[3]]")]
    public void Every_input_shape_openai_accepts_is_accepted(string input)
    {
        Assert.Null(EmbeddingsRequestRules.Check(Body(input)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"\"")]
    [InlineData("[]")]
    [InlineData("[\"a\",1]")]
    [InlineData("[[1,2],[]]")]
    [InlineData("[1.5]")]
    [InlineData("[-1]")]
    [InlineData("{\"text\":\"a\"}")]
    [InlineData("42")]
    public void Other_inputs_are_rejected_on_the_input_param(string? input)
    {
        Assert.Equal("input", EmbeddingsRequestRules.Check(Body(input))?.Param);
    }

    [Fact]
    public void Too_many_inputs_are_rejected()
    {
        var input = new JsonArray([.. Enumerable.Range(0, EmbeddingsRequestRules.MaxInputs + 1).Select(i => (JsonNode)$"t{i}")]);
        Assert.Equal("input", EmbeddingsRequestRules.Check(new JsonObject { ["input"] = input })?.Param);
    }

    [Theory]
    [InlineData("\"encoding_format\":\"float\"", null)]
    [InlineData("\"encoding_format\":\"base64\"", null)]
    [InlineData("\"encoding_format\":\"int8\"", "encoding_format")]
    [InlineData("\"dimensions\":256", null)]
    [InlineData("\"dimensions\":0", "dimensions")]
    [InlineData("\"dimensions\":\"256\"", "dimensions")]
    [InlineData("\"user\":\"u-1\"", null)]
    [InlineData("\"user\":7", "user")]
    public void Options_are_checked(string option, string? failingParam)
    {
        var body = JsonNode.Parse($"{{\"input\":\"x\",{option}}}")!.AsObject();
        Assert.Equal(failingParam, EmbeddingsRequestRules.Check(body)?.Param);
    }

    [Fact]
    public void Usage_is_read_from_an_answer_as_input_tokens()
    {
        var answer = Encoding.UTF8.GetBytes("""{"object":"list","data":[{"embedding":"AAAA"}],"usage":{"prompt_tokens":12,"total_tokens":12}}""");

        var usage = EmbeddingsExchange.ReadUsage(answer);

        Assert.Equal(12, usage!.InputTokens);
        Assert.Equal(0, usage.OutputTokens);
        Assert.Null(EmbeddingsExchange.ReadUsage(Encoding.UTF8.GetBytes("not json")));
    }

    private static JsonObject Body(string? input) =>
        input is null ? new JsonObject() : new JsonObject { ["input"] = JsonNode.Parse(input) };
}
