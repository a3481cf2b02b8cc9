using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// Images from chat models, Gemini embeddings, Vertex AI (simulator mode: throwaway service account) and OpenAI SDK
/// contract checks for vision and structured output, with the simulator upstream and real RabbitMQ.
/// </summary>
public sealed class ApiSurfaceTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    private ChatClient Chat(string model) => new(model, new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());

    private static CatalogModel Catalogued(string id) => BuiltInModels.All.Single(m => m.Id == id);

    private static async Task<List<JsonNode>> ChunksAsync(HttpResponseMessage response)
    {
        var chunks = new List<JsonNode>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line != "data: [DONE]") chunks.Add(JsonNode.Parse(line[6..])!);
        }
        return chunks;
    }

    // ---- 3. Images returned by chat models ----

    [Fact]
    public async Task A_gemini_image_model_answers_with_message_images_as_png_data_urls()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "google/gemini-2.5-flash-image",
            messages = new[] { new { role = "user", content = "Draw a red cat" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;
        Assert.Contains("simulator", message["content"]!.GetValue<string>());
        var image = Assert.Single(message["images"]!.AsArray())!;
        Assert.Equal("image_url", image["type"]!.GetValue<string>());
        var url = image["image_url"]!["url"]!.GetValue<string>();
        Assert.StartsWith("data:image/png;base64,", url);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], Convert.FromBase64String(url["data:image/png;base64,".Length..])[..4]);
        var published = await fixture.PublishedAsync(response);
        Assert.Equal("google/gemini-2.5-flash-image", published.ServedModel);
        Assert.Equal(CostCalculator.Cost(published.Usage, Catalogued("google/gemini-2.5-flash-image").Price), published.CostUsd);
    }

    [Fact]
    public async Task A_streamed_gemini_image_arrives_as_delta_images_and_the_sdk_still_reads_the_text()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "google/gemini-2.5-flash-image",
            stream = true,
            messages = new[] { new { role = "user", content = "Draw a red cat" } },
        });
        var chunks = await ChunksAsync(response);
        var sdkAnswer = await Chat("google/gemini-2.5-flash-image").CompleteChatAsync([new UserChatMessage("Draw a dog")]);

        var images = chunks.Select(c => c["choices"]?[0]?["delta"]?["images"]).OfType<JsonArray>().SelectMany(a => a).ToList();
        Assert.StartsWith("data:image/png;base64,", Assert.Single(images)!["image_url"]!["url"]!.GetValue<string>());
        Assert.Contains("simulator", sdkAnswer.Value.Content[0].Text);
    }

    [Fact]
    public async Task A_vertex_image_model_named_as_in_the_docs_answers_with_message_images()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "vertex/google/gemini-2.5-flash-image-preview",
            messages = new[] { new { role = "user", content = "Generate a serene landscape with a lake" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var images = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["images"]!.AsArray();
        Assert.StartsWith("data:image/png;base64,", Assert.Single(images)!["image_url"]!["url"]!.GetValue<string>());
        Assert.EndsWith("/publishers/google/models/gemini-2.5-flash-image-preview:generateContent",
            (await fixture.LastUpstreamRequestAsync())["path"]!.GetValue<string>());
    }

    // ---- 4. Gemini embeddings ----

    [Fact]
    public async Task The_openai_sdk_embeds_with_a_gemini_model_and_dimensions_become_output_dimensionality()
    {
        var client = new EmbeddingClient("google/gemini-embedding-001", new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());
        var result = await client.GenerateEmbeddingsAsync(["first text", "second text"], new EmbeddingGenerationOptions { Dimensions = 64 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(64, e.ToFloats().Length));
        Assert.NotEqual(result.Value[0].ToFloats().ToArray(), result.Value[1].ToFloats().ToArray());
        var upstream = await fixture.LastUpstreamRequestAsync();
        Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", upstream["path"]!.GetValue<string>());
        var requests = upstream["body"]!["requests"]!.AsArray();
        Assert.Equal(["first text", "second text"], requests.Select(r => r!["content"]!["parts"]![0]!["text"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Equal(64, r!["outputDimensionality"]!.GetValue<int>()));
        Assert.All(requests, r => Assert.Equal("models/gemini-embedding-001", r!["model"]!.GetValue<string>()));

        var published = await fixture.PublishedAsync(result.GetRawResponse());
        Assert.Equal("embeddings", published.Endpoint);
        Assert.Equal("google", published.ServedProvider);
        Assert.Equal(3 + 3, published.Usage.InputTokens); // 10 and 11 characters: 3 tokens each at four characters a token
        Assert.Equal(6 * 0.15m / 1_000_000m, published.CostUsd);
    }

    [Fact]
    public async Task Gemini_embeddings_come_as_floats_or_base64_with_the_same_vector()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var asFloats = await http.PostAsJsonAsync("v1/embeddings", new { model = "google/gemini-embedding-001", input = "same text", encoding_format = "float" });
        using var asBase64 = await http.PostAsJsonAsync("v1/embeddings", new { model = "google/gemini-embedding-001", input = "same text", encoding_format = "base64" });
        using var tokens = await http.PostAsJsonAsync("v1/embeddings", new { model = "google/gemini-embedding-001", input = new[] { 1, 2, 3 } });

        var floatsBody = JsonNode.Parse(await asFloats.Content.ReadAsStringAsync())!;
        var floats = floatsBody["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var base64 = JsonNode.Parse(await asBase64.Content.ReadAsStringAsync())!["data"]![0]!["embedding"]!.GetValue<string>();
        Assert.Equal(3072, floats.Length);
        Assert.Equal(floats, MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray());
        Assert.Equal("google/gemini-embedding-001", floatsBody["model"]!.GetValue<string>());
        Assert.Equal(3, floatsBody["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, tokens.StatusCode);
        Assert.Equal("input", JsonNode.Parse(await tokens.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
    }

    // ---- 5. Vertex AI (the simulator's token endpoint and Vertex routes) ----

    [Fact]
    public async Task The_openai_sdk_reaches_gemini_on_vertex_in_the_region_it_names_with_a_bearer_token()
    {
        var completion = await Chat("vertex/gemini-2.5-flash@europe-west4").CompleteChatAsync([new UserChatMessage("Hello Vertex Gemini")]);

        Assert.Contains("gemini-2.5-flash", completion.Value.Content[0].Text);
        var upstream = await fixture.LastUpstreamRequestAsync();
        Assert.Equal("/v1/projects/requesty-simulator/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent",
            upstream["path"]!.GetValue<string>());
        Assert.StartsWith("Bearer ya29.", upstream["headers"]!["Authorization"]!.GetValue<string>());
        var published = await fixture.PublishedAsync(completion.GetRawResponse());
        Assert.Equal("vertex", published.ServedProvider);
        Assert.Equal("vertex/gemini-2.5-flash@europe-west4", published.ServedModel);
        Assert.Equal("europe-west4", published.Region);
        Assert.True(published.CostUsd > 0m);
        Assert.Equal(CostCalculator.Cost(published.Usage, Catalogued("vertex/gemini-2.5-flash").Price), published.CostUsd);
    }

    [Fact]
    public async Task The_openai_sdk_streams_claude_on_vertex_through_stream_raw_predict()
    {
        var text = new StringBuilder();
        await foreach (var update in Chat("vertex/claude-sonnet-4-5").CompleteChatStreamingAsync([new UserChatMessage("Stream from Vertex Claude")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }

        Assert.Contains("claude-sonnet-4-5@20250929", text.ToString());
        var upstream = await fixture.LastUpstreamRequestAsync();
        Assert.Equal("/v1/projects/requesty-simulator/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict",
            upstream["path"]!.GetValue<string>());
        Assert.Equal("vertex-2023-10-16", upstream["body"]!["anthropic_version"]!.GetValue<string>());
        Assert.Null(upstream["body"]!["model"]);
    }

    [Fact]
    public async Task The_anthropic_sdk_reaches_claude_on_vertex_and_the_token_is_fetched_once()
    {
        var client = fixture.Harness.AnthropicClient();
        var first = await client.Messages.Create(new MessageCreateParams { Model = "vertex/claude-haiku-4-5", MaxTokens = 100, Messages = [new UserMessageParam("First")] });
        var second = await client.Messages.Create(new MessageCreateParams { Model = "vertex/claude-haiku-4-5", MaxTokens = 100, Messages = [new UserMessageParam("Second")] });

        Assert.True(first.Content[0].TryPickText(out var text));
        Assert.Contains("claude-haiku-4-5@20251001", text!.Text);
        Assert.True(second.Usage.OutputTokens > 0);
        var upstream = await fixture.LastUpstreamRequestAsync();
        Assert.EndsWith("/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict", upstream["path"]!.GetValue<string>());
        Assert.Equal(100, upstream["body"]!["max_tokens"]!.GetValue<int>());
        using var sim = fixture.Harness.Simulator.CreateClient();
        var recorded = JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=1000"))!.AsArray();
        Assert.Single(recorded, r => r!["path"]!.GetValue<string>() == "/oauth2/token");
    }

    // ---- 6. OpenAI SDK contract: vision and structured output ----

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task Vision_parts_with_a_data_url_and_an_http_url_reach_the_provider(string model)
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these images?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png", ChatImageDetailLevel.Low),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.jpg")));

        var completion = await Chat(model).CompleteChatAsync([message]);

        Assert.Contains("What is in these images?", completion.Value.Content[0].Text);
        var upstream = await fixture.LastUpstreamBodyAsync();
        if (model.StartsWith("openai/", StringComparison.Ordinal))
        {
            var parts = upstream["messages"]![0]!["content"]!.AsArray();
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), parts[1]!["image_url"]!["url"]!.GetValue<string>());
            Assert.Equal("low", parts[1]!["image_url"]!["detail"]!.GetValue<string>());
            Assert.Equal("https://example.com/cat.jpg", parts[2]!["image_url"]!["url"]!.GetValue<string>());
        }
        else
        {
            var parts = upstream["contents"]![0]!["parts"]!.AsArray();
            Assert.Equal("image/png", parts[1]!["inlineData"]!["mimeType"]!.GetValue<string>());
            Assert.Equal(Convert.ToBase64String(png), parts[1]!["inlineData"]!["data"]!.GetValue<string>());
            Assert.Equal("https://example.com/cat.jpg", parts[2]!["fileData"]!["fileUri"]!.GetValue<string>());
        }
    }

    private sealed record CityWeather(string City, double Celsius, string[] Tags);

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_json_schema_response_format_reaches_the_provider_and_the_sdk_parses_the_answer(string model)
    {
        const string Schema = """
            {"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}},
             "required":["city","celsius","tags"],"additionalProperties":false}
            """;
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("city_weather", BinaryData.FromString(Schema), jsonSchemaIsStrict: true),
        };

        var completion = await Chat(model).CompleteChatAsync([new UserChatMessage("Weather in Oslo as JSON")], options);

        var parsed = JsonSerializer.Deserialize<CityWeather>(completion.Value.Content[0].Text, JsonSerializerOptions.Web)!;
        Assert.False(string.IsNullOrEmpty(parsed.City));
        Assert.NotNull(parsed.Tags);
        var upstream = await fixture.LastUpstreamBodyAsync();
        if (model.StartsWith("openai/", StringComparison.Ordinal))
        {
            Assert.Equal("json_schema", upstream["response_format"]!["type"]!.GetValue<string>());
            Assert.Equal("city_weather", upstream["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
            Assert.True(upstream["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
            Assert.Equal(JsonNode.Parse(Schema)!.ToJsonString(), upstream["response_format"]!["json_schema"]!["schema"]!.ToJsonString());
        }
        else
        {
            Assert.Equal("application/json", upstream["generationConfig"]!["responseMimeType"]!.GetValue<string>());
            Assert.Equal(JsonNode.Parse(Schema)!.ToJsonString(), upstream["generationConfig"]!["responseJsonSchema"]!.ToJsonString());
        }
    }
}
