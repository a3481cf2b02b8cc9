using System.Net;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Gemini;

/// <summary>Gemini batchEmbedContents / embedContent wire shapes and the inline image of image-output models.</summary>
public class GeminiEmbeddingsAndImagesTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly (string, string) Key = ("x-goog-api-key", "g-key");

    [Fact]
    public async Task Batch_embed_contents_returns_one_vector_per_request_with_the_asked_dimensions()
    {
        using var client = simulator.CreateClient();
        var response = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-embedding-001:batchEmbedContents", """
            {"requests":[
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"first"}]},"outputDimensionality":8},
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"second"}]}}]}
            """, Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var embeddings = body["embeddings"]!.AsArray();
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(8, embeddings[0]!["values"]!.AsArray().Count);
        Assert.Equal(3072, embeddings[1]!["values"]!.AsArray().Count);
        Assert.Null(body["usageMetadata"]); // the Gemini API reports no usage for embeddings
    }

    [Fact]
    public async Task Embed_content_returns_a_single_embedding_and_the_same_text_gives_the_same_vector()
    {
        using var client = simulator.CreateClient();
        const string Body = """{"content":{"parts":[{"text":"same"}]},"outputDimensionality":16}""";
        var first = await (await client.SendAsync(RawHttp.Post("v1beta/models/text-embedding-004:embedContent", Body, Key))).JsonAsync();
        var second = await (await client.SendAsync(RawHttp.Post("v1beta/models/text-embedding-004:embedContent", Body, Key))).JsonAsync();

        Assert.Equal(16, first["embedding"]!["values"]!.AsArray().Count);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public async Task Embedding_requests_need_a_key_and_content()
    {
        using var client = simulator.CreateClient();
        var noKey = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-embedding-001:embedContent", """{"content":{"parts":[{"text":"x"}]}}"""));
        var noContent = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-embedding-001:batchEmbedContents", """{"requests":[{"content":{"parts":[]}}]}""", Key));
        var wrongModel = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-embedding-001:batchEmbedContents",
            """{"requests":[{"model":"models/other","content":{"parts":[{"text":"x"}]}}]}""", Key));

        Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noContent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongModel.StatusCode);
    }

    [Fact]
    public async Task An_image_output_model_answers_with_an_inline_png_part_and_streams_it()
    {
        using var client = simulator.CreateClient();
        const string Body = """{"contents":[{"role":"user","parts":[{"text":"Draw a cat"}]}]}""";
        var whole = await (await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash-image:generateContent", Body, Key))).JsonAsync();
        using var streamed = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash-image:streamGenerateContent?alt=sse", Body, Key),
            HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(streamed);
        var plain = await (await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash:generateContent", Body, Key))).JsonAsync();

        var parts = whole["candidates"]![0]!["content"]!["parts"]!.AsArray();
        var inline = parts.Select(p => p!["inlineData"]).Single(p => p is not null)!;
        Assert.Equal("image/png", inline["mimeType"]!.GetValue<string>());
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], Convert.FromBase64String(inline["data"]!.GetValue<string>())[..4]);
        Assert.Contains(parts, p => p!["text"] is not null);
        Assert.Contains(events, e => e.Data.Contains("\"inlineData\"", StringComparison.Ordinal));
        Assert.DoesNotContain("inlineData", plain.ToJsonString(), StringComparison.Ordinal);
    }
}
