using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Images;

namespace Requesty.Router.Tests.Unit;

public sealed class ImagesRequestRulesTests
{
    [Fact]
    public void A_full_gpt_image_request_is_accepted()
    {
        var body = Body("""
            "n":2,"size":"1536x1024","quality":"high","background":"transparent","output_format":"webp",
            "output_compression":80,"response_format":"b64_json","user":"u-1","moderation":"low"
            """);
        Assert.Null(ImagesRequestRules.Check(body));
    }

    [Theory]
    [InlineData("\"prompt\":\"   \"", "prompt")]
    [InlineData("\"prompt\":5", "prompt")]
    [InlineData("\"n\":11", "n")]
    [InlineData("\"n\":1.5", "n")]
    [InlineData("\"size\":\"big\"", "size")]
    [InlineData("\"size\":\"0x1024\"", "size")]
    [InlineData("\"quality\":\"ultra\"", "quality")]
    [InlineData("\"response_format\":\"png\"", "response_format")]
    [InlineData("\"background\":\"pink\"", "background")]
    [InlineData("\"output_format\":\"gif\"", "output_format")]
    [InlineData("\"output_compression\":101", "output_compression")]
    [InlineData("\"stream\":true", "stream")]
    public void Invalid_fields_are_named(string field, string param)
    {
        var body = JsonNode.Parse($"{{{field}}}")!.AsObject();
        if (!body.ContainsKey("prompt")) body["prompt"] = "a cat";
        Assert.Equal(param, ImagesRequestRules.Check(body)?.Param);
    }

    [Fact]
    public void A_missing_prompt_is_rejected()
    {
        Assert.Equal("prompt", ImagesRequestRules.Check(new JsonObject { ["model"] = "openai/dall-e-3" })?.Param);
    }

    private static JsonObject Body(string fields) => JsonNode.Parse($"{{\"prompt\":\"a cat\",{fields}}}")!.AsObject();
}
