using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Images;

namespace Requesty.Router.Tests.Integration;

/// <summary>POST /v1/images/generations with the official OpenAI .NET SDK and raw HTTP, the simulator upstream and real RabbitMQ.</summary>
public sealed class ImagesTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private ImageClient Client(string model) => new(model, new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());

    [Fact]
    public async Task Gpt_image_returns_png_bytes_and_is_billed_by_its_token_usage()
    {
        var result = await Client("openai/gpt-image-1").GenerateImageAsync("A lighthouse at dawn in watercolour",
            new ImageGenerationOptions { Size = GeneratedImageSize.W1024xH1024, ResponseFormat = GeneratedImageFormat.Bytes });

        var bytes = result.Value.ImageBytes.ToArray();
        Assert.Equal(PngSignature, bytes[..PngSignature.Length]);
        var upstream = await fixture.LastUpstreamBodyAsync();
        Assert.Equal("gpt-image-1", upstream["model"]!.GetValue<string>());
        Assert.Null(upstream["response_format"]); // OpenAI rejects it for gpt-image models, which always answer b64_json
        var usage = JsonNode.Parse(result.GetRawResponse().Content)!["usage"]!;
        var input = usage["input_tokens"]!.GetValue<long>();
        var output = usage["output_tokens"]!.GetValue<long>();
        var published = await fixture.PublishedAsync(result.GetRawResponse());
        Assert.Equal("images.generations", published.Endpoint);
        Assert.Equal("success", published.Status);
        Assert.Equal("openai/gpt-image-1", published.ServedModel);
        Assert.Equal(input, published.Usage.InputTokens);
        Assert.Equal(output, published.Usage.OutputTokens);
        Assert.Equal((input * 5.00m + output * 40.00m) / 1_000_000m, published.CostUsd);
        Assert.True(published.CostUsd > 0m);
    }

    [Fact]
    public async Task Dall_e_3_returns_a_downloadable_url_and_is_billed_per_image_by_size()
    {
        var result = await Client("openai/dall-e-3").GenerateImageAsync("A red bicycle",
            new ImageGenerationOptions { Size = GeneratedImageSize.W1792xH1024, ResponseFormat = GeneratedImageFormat.Uri });

        Assert.NotNull(result.Value.ImageUri);
        using var download = new HttpClient();
        var png = await download.GetByteArrayAsync(result.Value.ImageUri);
        Assert.Equal(PngSignature, png[..PngSignature.Length]);
        var published = await fixture.PublishedAsync(result.GetRawResponse());
        Assert.Equal("openai/dall-e-3", published.ServedModel);
        Assert.Equal(0.080m, published.CostUsd); // standard quality (the default), 1792x1024
        Assert.Equal(published.CostUsd, published.CostWithoutCacheUsd);
    }

    [Fact]
    public async Task Per_image_cost_follows_quality_size_and_the_number_of_images()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var hd = await http.PostAsJsonAsync("v1/images/generations",
            new { model = "openai/dall-e-3", prompt = "A tall tower", quality = "hd", size = "1024x1792", response_format = "b64_json" });
        using var three = await http.PostAsJsonAsync("v1/images/generations",
            new { model = "openai/dall-e-2", prompt = "Three cats", n = 3, size = "512x512" });

        Assert.Equal(HttpStatusCode.OK, hd.StatusCode);
        Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        var hdImage = JsonNode.Parse(await hd.Content.ReadAsStringAsync())!["data"]![0]!["b64_json"]!.GetValue<string>();
        Assert.Equal(PngSignature, Convert.FromBase64String(hdImage)[..PngSignature.Length]);
        Assert.Equal(3, JsonNode.Parse(await three.Content.ReadAsStringAsync())!["data"]!.AsArray().Count);
        Assert.Equal(0.120m, (await fixture.PublishedAsync(hd)).CostUsd);
        Assert.Equal(3 * 0.018m, (await fixture.PublishedAsync(three)).CostUsd);
    }

    [Fact]
    public async Task Bad_requests_get_openai_errors_before_anything_goes_upstream()
    {
        using var sim = fixture.Harness.Simulator.CreateClient();
        (await sim.DeleteAsync("__sim/requests")).EnsureSuccessStatusCode();
        using var http = fixture.Harness.CreateRouterClient();

        await AssertErrorAsync(http, new { model = "openai/no-such-painter", prompt = "x" }, HttpStatusCode.NotFound, "model_not_found", "model");
        await AssertErrorAsync(http, new { model = "openai/text-embedding-3-small", prompt = "x" }, HttpStatusCode.BadRequest, "invalid_model", "model");
        await AssertErrorAsync(http, new { model = "openai/gpt-image-1" }, HttpStatusCode.BadRequest, "invalid_prompt", "prompt");
        await AssertErrorAsync(http, new { model = "openai/gpt-image-1", prompt = "x", n = 0 }, HttpStatusCode.BadRequest, "invalid_n", "n");
        await AssertErrorAsync(http, new { model = "openai/gpt-image-1", prompt = "x", response_format = "jpeg" }, HttpStatusCode.BadRequest, "invalid_response_format", "response_format");
        await AssertErrorAsync(http, new { model = "openai/gpt-image-1", prompt = "x", response_format = "url" }, HttpStatusCode.BadRequest, "invalid_response_format", "response_format");
        await AssertErrorAsync(http, new { model = "openai/gpt-image-1", prompt = "x", background = "pink" }, HttpStatusCode.BadRequest, "invalid_background", "background");
        await AssertErrorAsync(http, new { model = "openai/dall-e-3", prompt = "x", size = "256x256" }, HttpStatusCode.BadRequest, "invalid_size", "size");
        await AssertErrorAsync(http, new { model = "openai/dall-e-3", prompt = "x", quality = "low" }, HttpStatusCode.BadRequest, "invalid_quality", "quality");

        Assert.Empty(JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=10"))!.AsArray());
    }

    [Fact]
    public async Task An_upstream_server_error_reaches_the_sdk_and_costs_nothing()
    {
        using var sim = fixture.Harness.Simulator.CreateClient();
        (await sim.PutAsJsonAsync("__sim/behaviour", new { provider = "openai", model = "gpt-image-1", status = 503, count = 1 })).EnsureSuccessStatusCode();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client("openai/gpt-image-1").GenerateImageAsync("fails"));

        Assert.Equal(503, ex.Status);
        var published = await fixture.PublishedAsync(ex.GetRawResponse()!);
        Assert.Equal("error", published.Status);
        Assert.Equal("upstream_error", published.ErrorKind);
        Assert.Equal(0m, published.CostUsd);
        Assert.Equal(503, published.Attempts.Single().HttpStatus);
    }

    private static async Task AssertErrorAsync(HttpClient http, object body, HttpStatusCode status, string code, string param)
    {
        using var response = await http.PostAsJsonAsync("v1/images/generations", body);
        Assert.Equal(status, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(param, error["param"]!.GetValue<string>());
    }
}
