using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Tests.Integration;

/// <summary>An OpenAI-format upstream's message.images / delta.images reach the client unchanged (model added by configuration).</summary>
public sealed class OpenAIFormatImagesTests : IAsyncLifetime
{
    private RouterHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RouterHarness.StartAsync(extraArgs: ["--Providers:openai:Models:0=gpt-5-image-mini"]);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Images_from_an_openai_format_model_are_relayed_whole_and_streamed()
    {
        using var http = _harness.CreateRouterClient();
        using var whole = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-5-image-mini", messages = new[] { new { role = "user", content = "Draw" } } });
        using var streamed = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-5-image-mini", stream = true, messages = new[] { new { role = "user", content = "Draw" } } });

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var image = JsonNode.Parse(await whole.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["images"]![0]!;
        Assert.StartsWith("data:image/png;base64,", image["image_url"]!["url"]!.GetValue<string>());
        var lines = (await streamed.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal));
        var deltaImages = lines.Select(l => JsonNode.Parse(l[6..])!["choices"]?[0]?["delta"]?["images"]).Where(i => i is not null).ToList();
        Assert.StartsWith("data:image/png;base64,", Assert.Single(deltaImages)![0]!["image_url"]!["url"]!.GetValue<string>());
    }
}
