using System.Net;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.OpenAI;

/// <summary>Image-output chat models in OpenAI format answer with message.images (and delta.images when streamed).</summary>
public class OpenAIImageChatTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string Body = """{"model":"gpt-5-image-mini","messages":[{"role":"user","content":"Draw a cat"}]}""";

    [Fact]
    public async Task An_image_model_returns_a_png_data_url_in_message_images()
    {
        using var client = simulator.CreateClient();
        var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Body));
        var plain = await (await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Body.Replace("gpt-5-image-mini", "gpt-4o-mini")))).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var image = (await response.JsonAsync())["choices"]![0]!["message"]!["images"]![0]!;
        Assert.Equal("image_url", image["type"]!.GetValue<string>());
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", image["image_url"]!["url"]!.GetValue<string>());
        Assert.Null(plain["choices"]![0]!["message"]!["images"]);
    }

    [Fact]
    public async Task A_streamed_image_model_sends_delta_images()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Body.Replace("}]}", "}],\"stream\":true}")),
            HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        var withImages = events.Where(e => e.Data != "[DONE]").Select(e => e.Json["choices"]?[0]?["delta"]?["images"]).Where(i => i is not null).ToList();
        Assert.Single(withImages);
    }
}
