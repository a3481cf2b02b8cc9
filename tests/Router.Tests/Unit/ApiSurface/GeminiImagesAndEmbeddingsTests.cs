using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Providers.Google;

namespace Requesty.Router.Tests.Unit.ApiSurface;

public class GeminiImagesAndEmbeddingsTests
{
    [Fact]
    public void Inline_image_parts_become_openai_message_images_as_data_urls()
    {
        var completion = GeminiResponseMapper.ToOpenAIChat(JsonNode.Parse("""
            {"candidates":[{"content":{"role":"model","parts":[
               {"text":"Here is your cat."},
               {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
               {"inline_data":{"mime_type":"image/webp","data":"UklGRg=="}},
               {"inlineData":{"mimeType":"image/png","data":"c2VjcmV0"},"thought":true}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1300}}
            """)!, "google/gemini-2.5-flash-image", DateTimeOffset.UnixEpoch, out var usage);

        var message = completion["choices"]![0]!["message"]!;
        Assert.Equal("Here is your cat.", message["content"]!.GetValue<string>());
        Assert.Equal(
            """[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"data:image/webp;base64,UklGRg=="}}]""",
            message["images"]!.ToJsonString());
        Assert.Equal(1300, usage.OutputTokens);
    }

    [Fact]
    public void Answers_without_images_have_no_images_field()
    {
        var completion = GeminiResponseMapper.ToOpenAIChat(JsonNode.Parse("""{"candidates":[{"content":{"parts":[{"text":"hi"}]}}]}""")!,
            "google/gemini-2.5-flash", DateTimeOffset.UnixEpoch, out _);

        Assert.Null(completion["choices"]![0]!["message"]!["images"]);
    }

    [Fact]
    public void Embedding_inputs_become_batch_requests_with_output_dimensionality()
    {
        var (inputs, problem) = GeminiEmbeddingsExchange.ReadInputs(JsonNode.Parse("""["a","bb"]"""));
        var body = GeminiEmbeddingsExchange.RequestBody("gemini-embedding-001", inputs!, 256);

        Assert.Null(problem);
        Assert.Equal(
            """{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"outputDimensionality":256},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"bb"}]},"outputDimensionality":256}]}""",
            body.ToJsonString());
        Assert.DoesNotContain("outputDimensionality", GeminiEmbeddingsExchange.RequestBody("m", ["x"], null).ToJsonString());
    }

    [Fact]
    public void Token_inputs_are_refused_for_gemini()
    {
        Assert.NotNull(GeminiEmbeddingsExchange.ReadInputs(JsonNode.Parse("[1,2,3]")).Problem);
        Assert.NotNull(GeminiEmbeddingsExchange.ReadInputs(JsonNode.Parse("[[1],[2]]")).Problem);
        Assert.Equal(["one"], GeminiEmbeddingsExchange.ReadInputs(JsonNode.Parse("\"one\"")).Inputs!);
    }

    [Fact]
    public void Gemini_embeddings_become_an_openai_list_in_float_or_little_endian_base64()
    {
        var answer = Encoding.UTF8.GetBytes("""{"embeddings":[{"values":[0.5,-0.25,1]},{"values":[0.125,0,-1]}]}""");

        var floats = JsonNode.Parse(GeminiEmbeddingsExchange.ToOpenAI(answer, "google/gemini-embedding-001", base64: false, promptTokens: 7))!;
        var packed = JsonNode.Parse(GeminiEmbeddingsExchange.ToOpenAI(answer, "google/gemini-embedding-001", base64: true, promptTokens: 7))!;

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25,1]},{"object":"embedding","index":1,"embedding":[0.125,0,-1]}],"model":"google/gemini-embedding-001","usage":{"prompt_tokens":7,"total_tokens":7}}""",
            floats.ToJsonString());
        var second = Convert.FromBase64String(packed["data"]![1]!["embedding"]!.GetValue<string>());
        Assert.Equal([0.125f, 0f, -1f], MemoryMarshal.Cast<byte, float>(second).ToArray());
    }

    [Fact]
    public void Embedding_tokens_are_estimated_at_four_characters_each_at_least_one_per_input() =>
        Assert.Equal(3 + 1, GeminiEmbeddingsExchange.EstimateTokens(["twelve chars", "x"]));
}
