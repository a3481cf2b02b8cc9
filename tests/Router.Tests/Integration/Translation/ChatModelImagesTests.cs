using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK.

namespace Requesty.Router.Tests.Integration.Translation;

/// <summary>
/// A chat model that draws (google/gemini-2.5-flash-image on the simulator) answers /v1/responses clients with an
/// image_generation_call item (read by the official OpenAI SDK) and /v1/messages clients with Anthropic image blocks
/// (raw HTTP: the Anthropic SDK has no type for images in an answer), whole and streamed.
/// </summary>
public sealed class ChatModelImagesTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    private const string Model = "google/gemini-2.5-flash-image";
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47];

    private ResponsesClient Client() => new(new ApiKeyCredential(fixture.Harness.ApiKey), new ResponsesClientOptions
    {
        Endpoint = new Uri(fixture.Harness.Router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    [Fact]
    public async Task The_openai_sdk_reads_the_image_of_a_response_as_an_image_generation_call()
    {
        var result = await Client().CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Draw a red cat")]));

        ResponseResult response = result;
        Assert.Contains("simulator", response.GetOutputText(), StringComparison.OrdinalIgnoreCase);
        var image = Assert.Single(response.OutputItems.OfType<ImageGenerationCallResponseItem>());
        Assert.Equal(PngMagic, image.ImageResultBytes.ToArray()[..4]);
        var published = await fixture.PublishedAsync(result.GetRawResponse());
        Assert.Equal("success", published.Status);
        Assert.Equal(Model, published.ServedModel);
    }

    [Fact]
    public async Task The_openai_sdk_streams_the_image_generation_call_events_and_the_finished_item_carries_the_image()
    {
        var kinds = new List<StreamingResponseUpdateKind>();
        ImageGenerationCallResponseItem? streamed = null;
        StreamingResponseCompletedUpdate? completed = null;
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Draw a red cat")]) { StreamingEnabled = true };

        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            kinds.Add(update.Kind);
            if (update is StreamingResponseOutputItemDoneUpdate { Item: ImageGenerationCallResponseItem image }) streamed = image;
            if (update is StreamingResponseCompletedUpdate done) completed = done;
        }

        Assert.Contains(StreamingResponseUpdateKind.ResponseImageGenerationCallInProgress, kinds);
        Assert.Contains(StreamingResponseUpdateKind.ResponseImageGenerationCallCompleted, kinds);
        Assert.NotNull(streamed);
        Assert.Equal(PngMagic, streamed.ImageResultBytes.ToArray()[..4]);
        var final = Assert.Single(completed!.Response.OutputItems.OfType<ImageGenerationCallResponseItem>());
        Assert.Equal(streamed.ImageResultBytes.ToArray(), final.ImageResultBytes.ToArray());
    }

    [Fact]
    public async Task A_messages_answer_carries_the_image_as_a_base64_image_block()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/messages", new
        {
            model = Model,
            max_tokens = 512,
            messages = new[] { new { role = "user", content = "Draw a red cat" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["content"]!.AsArray();
        Assert.Equal(["text", "image"], content.Select(b => b!["type"]!.GetValue<string>()));
        var source = content[1]!["source"]!;
        Assert.Equal("base64", source["type"]!.GetValue<string>());
        Assert.Equal("image/png", source["media_type"]!.GetValue<string>());
        Assert.Equal(PngMagic, Convert.FromBase64String(source["data"]!.GetValue<string>())[..4]);
        Assert.Equal("success", (await fixture.PublishedAsync(response)).Status);
    }

    [Fact]
    public async Task A_streamed_messages_answer_sends_the_image_as_its_own_content_block()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/messages", new
        {
            model = Model,
            max_tokens = 512,
            stream = true,
            messages = new[] { new { role = "user", content = "Draw a red cat" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();
        var image = Assert.Single(events, e => e["type"]!.GetValue<string>() == "content_block_start"
                                               && e["content_block"]!["type"]!.GetValue<string>() == "image");
        var index = image["index"]!.GetValue<int>();
        Assert.Equal(PngMagic, Convert.FromBase64String(image["content_block"]!["source"]!["data"]!.GetValue<string>())[..4]);
        Assert.Contains(events, e => e["type"]!.GetValue<string>() == "content_block_stop" && e["index"]!.GetValue<int>() == index);
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>() == "content_block_delta" && e["index"]!.GetValue<int>() == index);
        var text = string.Concat(events.Where(e => e["delta"]?["type"]?.GetValue<string>() == "text_delta").Select(e => e["delta"]!["text"]!.GetValue<string>()));
        Assert.Contains("simulator", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("message_stop", events[^1]["type"]!.GetValue<string>());
    }
}
