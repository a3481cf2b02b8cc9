using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using OpenAI.Embeddings;

namespace Requesty.Router.Tests.Integration;

/// <summary>POST /v1/embeddings with the official OpenAI .NET SDK and raw HTTP, the simulator upstream and real RabbitMQ.</summary>
public sealed class EmbeddingsTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    private const decimal SmallPricePerMillion = 0.02m;

    private EmbeddingClient Client(string model = "openai/text-embedding-3-small") => new(model, new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());

    [Fact]
    public async Task The_sdk_gets_its_embedding_and_the_request_is_published_with_exact_cost()
    {
        var result = await Client().GenerateEmbeddingAsync("The quick brown fox jumps");

        Assert.Equal(1536, result.Value.ToFloats().Length);
        var upstream = await fixture.LastUpstreamBodyAsync();
        Assert.Equal("text-embedding-3-small", upstream["model"]!.GetValue<string>());
        var published = await fixture.PublishedAsync(result.GetRawResponse());
        Assert.Equal("embeddings", published.Endpoint);
        Assert.Equal("success", published.Status);
        Assert.Equal("openai/text-embedding-3-small", published.ServedModel);
        Assert.Equal("openai", published.ServedProvider);
        var tokens = JsonNode.Parse(result.GetRawResponse().Content)!["usage"]!["prompt_tokens"]!.GetValue<long>();
        Assert.True(tokens > 0);
        Assert.Equal(tokens, published.Usage.InputTokens);
        Assert.Equal(0, published.Usage.OutputTokens);
        Assert.Equal(tokens * SmallPricePerMillion / 1_000_000m, published.CostUsd);
        Assert.Single(published.Attempts);
    }

    [Fact]
    public async Task Float_and_base64_encodings_carry_the_same_vectors()
    {
        using var http = fixture.Harness.CreateRouterClient();
        var asFloats = await PostAsync(http, new { model = "openai/text-embedding-3-small", input = "same text", encoding_format = "float" });
        var asBase64 = await PostAsync(http, new { model = "openai/text-embedding-3-small", input = "same text", encoding_format = "base64" });

        var floats = asFloats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var base64 = asBase64["data"]![0]!["embedding"]!.GetValue<string>();
        Assert.Equal(floats, MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray());
        Assert.Equal("base64", (await fixture.LastUpstreamBodyAsync())["encoding_format"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_sdk_decodes_base64_embeddings_and_dimensions_reach_the_provider()
    {
        var client = Client("openai/text-embedding-3-large");
        var result = await client.GenerateEmbeddingsAsync(["first", "second"], new EmbeddingGenerationOptions { Dimensions = 256, EndUserId = "user-42" });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(256, e.ToFloats().Length));
        Assert.NotEqual(result.Value[0].ToFloats().ToArray(), result.Value[1].ToFloats().ToArray());
        var upstream = await fixture.LastUpstreamBodyAsync();
        Assert.Equal("base64", upstream["encoding_format"]!.GetValue<string>()); // the SDK asks for base64 and decodes it
        Assert.Equal(256, upstream["dimensions"]!.GetValue<int>());
        Assert.Equal("user-42", upstream["user"]!.GetValue<string>());
        Assert.Equal("text-embedding-3-large", upstream["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_arrays_are_accepted_and_billed()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var single = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small", input = new[] { 1, 2, 3 } });
        using var many = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small", input = new[] { new[] { 1, 2, 3 }, new[] { 4, 5 } } });

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal(HttpStatusCode.OK, many.StatusCode);
        Assert.Single(JsonNode.Parse(await single.Content.ReadAsStringAsync())!["data"]!.AsArray());
        Assert.Equal(2, JsonNode.Parse(await many.Content.ReadAsStringAsync())!["data"]!.AsArray().Count);
        var published = await fixture.PublishedAsync(many);
        Assert.Equal(5, published.Usage.InputTokens); // the simulator counts one token per array element
        Assert.Equal(5 * SmallPricePerMillion / 1_000_000m, published.CostUsd);
    }

    [Fact]
    public async Task Bad_requests_get_openai_errors_and_are_published_as_errors()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var unknown = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/no-such-embedder", input = "x" });
        using var chatModel = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/gpt-4o-mini", input = "x" });
        using var noInput = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small" });
        using var mixedInput = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small", input = new object[] { "a", 1 } });
        using var badFormat = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small", input = "x", encoding_format = "int8" });
        using var badDimensions = await http.PostAsJsonAsync("v1/embeddings", new { model = "openai/text-embedding-3-small", input = "x", dimensions = 0 });

        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found", "model");
        await AssertErrorAsync(chatModel, HttpStatusCode.BadRequest, "invalid_model", "model");
        await AssertErrorAsync(noInput, HttpStatusCode.BadRequest, "invalid_input", "input");
        await AssertErrorAsync(mixedInput, HttpStatusCode.BadRequest, "invalid_input", "input");
        await AssertErrorAsync(badFormat, HttpStatusCode.BadRequest, "invalid_encoding_format", "encoding_format");
        await AssertErrorAsync(badDimensions, HttpStatusCode.BadRequest, "invalid_dimensions", "dimensions");
        var published = await fixture.PublishedAsync(unknown);
        Assert.Equal("error", published.Status);
        Assert.Equal(404, published.HttpStatus);
        Assert.Equal("openai/no-such-embedder", published.RequestedModel);
        Assert.Empty(published.Attempts);
    }

    [Fact]
    public async Task An_upstream_429_reaches_the_sdk_with_retry_after_and_costs_nothing()
    {
        using var sim = fixture.Harness.Simulator.CreateClient();
        (await sim.PutAsJsonAsync("__sim/behaviour", new { provider = "openai", model = "text-embedding-3-small", status = 429, count = 1, retry_after_s = 7 })).EnsureSuccessStatusCode();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client().GenerateEmbeddingAsync("rate limited"));

        Assert.Equal(429, ex.Status);
        var raw = ex.GetRawResponse()!;
        Assert.Equal("7", raw.Headers.TryGetValue("retry-after", out var retryAfter) ? retryAfter : null);
        Assert.Equal("rate_limit_error", JsonNode.Parse(raw.Content)!["error"]!["type"]!.GetValue<string>());
        var published = await fixture.PublishedAsync(raw);
        Assert.Equal("rate_limit", published.ErrorKind);
        Assert.Equal(0m, published.CostUsd);
        Assert.Equal(429, published.Attempts.Single().HttpStatus);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("v1/embeddings", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        Assert.Equal(status, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }
}
