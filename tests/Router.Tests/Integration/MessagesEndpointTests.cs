using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Integration;

/// <summary>The official Anthropic .NET SDK against /v1/messages, for Anthropic models and for others.</summary>
public sealed class MessagesEndpointTests : RouterWithEvents
{

    private AnthropicClient Client() => Harness.AnthropicClient();

    private static MessageCreateParams Params(string model, string text) => new()
    {
        MaxTokens = 1024,
        Model = model,
        Messages = [new UserMessageParam(text)],
    };

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", "/v1/messages")]
    [InlineData("openai/gpt-4o-mini", "/v1/chat/completions")]
    [InlineData("google/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    public async Task A_message_is_answered_in_anthropic_format_whatever_the_provider(string model, string upstreamPath)
    {
        var message = await Client().Messages.Create(Params(model, "Hello from the Anthropic SDK"));

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Contains("simulator", text!.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        Assert.Equal(upstreamPath, (await LastUpstreamRequestAsync())["path"]!.GetValue<string>());
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("messages", published.Endpoint);
        Assert.Equal(model, published.ServedModel);
        Assert.Equal(CostCalculator.Cost(published.Usage, BuiltInModels.All.Single(m => m.Id == model).Price), published.CostUsd);
        Assert.True(published.CostUsd > 0m);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_streamed_message_has_the_exact_anthropic_event_sequence(string model)
    {
        var text = new StringBuilder();
        var kinds = new List<string>();
        long outputTokens = 0;
        await foreach (var streamEvent in Client().Messages.CreateStreaming(Params(model, "Stream it")))
        {
            if (streamEvent.TryPickStart(out _)) kinds.Add("start");
            if (streamEvent.TryPickContentBlockStart(out _)) kinds.Add("block_start");
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta)) text.Append(textDelta!.Text);
            if (streamEvent.TryPickContentBlockStop(out _)) kinds.Add("block_stop");
            if (streamEvent.TryPickDelta(out var messageDelta))
            {
                kinds.Add("message_delta");
                outputTokens = messageDelta!.Usage.OutputTokens;
            }
            if (streamEvent.TryPickStop(out _)) kinds.Add("stop");
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["start", "block_start", "block_stop", "message_delta", "stop"], kinds);
        Assert.True(outputTokens > 0);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.True(published.Stream);
        Assert.Equal(outputTokens, published.Usage.OutputTokens);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    public async Task A_forced_tool_comes_back_as_a_tool_use_block_with_parsed_input(string model)
    {
        var tool = new Tool
        {
            Name = "get_weather",
            Description = "Current weather",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
                Required = ["city"],
            },
        };
        var parameters = new MessageCreateParams(Params(model, "Weather in Oslo?")) { Tools = [tool], ToolChoice = new ToolChoiceTool("get_weather") };

        var message = await Client().Messages.Create(parameters);

        var toolUse = message.Content.Select(b => b.TryPickToolUse(out var use) ? use : null).Single(u => u is not null)!;
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal(JsonValueKind.String, toolUse.Input["city"].ValueKind);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("get_weather", published.ToolCalls.Single().Name);
    }

    [Fact]
    public async Task X_api_key_authenticates_and_a_wrong_key_gets_an_anthropic_error()
    {
        using var http = Harness.Router.CreateClient();
        using var good = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = JsonContent.Create(new { model = "anthropic/claude-sonnet-4-5", max_tokens = 50, messages = new[] { new { role = "user", content = "hi" } } }) };
        good.Headers.Add("x-api-key", Harness.ApiKey);
        good.Headers.Add("anthropic-version", "2023-06-01");
        using var bad = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = JsonContent.Create(new { model = "anthropic/claude-sonnet-4-5", messages = new[] { new { role = "user", content = "hi" } } }) };
        bad.Headers.Add("x-api-key", "wrong");

        using var ok = await http.SendAsync(good);
        using var refused = await http.SendAsync(bad);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("message", JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("authentication_error", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_models_and_empty_messages_get_anthropic_errors()
    {
        using var http = Harness.CreateRouterClient();
        using var unknown = await http.PostAsJsonAsync("v1/messages", new { model = "nope/nope", max_tokens = 5, messages = new[] { new { role = "user", content = "hi" } } });
        using var empty = await http.PostAsJsonAsync("v1/messages", new { model = "anthropic/claude-sonnet-4-5", max_tokens = 5, messages = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found_error", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("invalid_request_error", JsonNode.Parse(await empty.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    public async Task Tokens_can_be_counted(string model)
    {
        var count = await Client().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = model,
            Messages = [new UserMessageParam("How many tokens is this sentence?")],
        });

        Assert.True(count.InputTokens > 0);
    }

    [Fact]
    public async Task Anthropic_stream_events_reach_the_client_as_the_upstream_sends_them_not_at_the_end()
    {
        await PacedStream.AssertArrivesEventByEventAsync(Harness, "anthropic", "v1/messages", new
        {
            model = "anthropic/claude-sonnet-4-5", max_tokens = 64, stream = true,
            messages = new[] { new { role = "user", content = "Stream slowly" } },
        });
    }

    [Fact]
    public async Task A_translated_stream_reaches_the_client_as_the_upstream_sends_it_not_at_the_end()
    {
        // /v1/messages to an OpenAI model: the output holds the Anthropic events it writes until each upstream read ends.
        await PacedStream.AssertArrivesEventByEventAsync(Harness, "openai", "v1/messages", new
        {
            model = "openai/gpt-4o-mini", max_tokens = 64, stream = true,
            messages = new[] { new { role = "user", content = "Stream slowly" } },
        });
    }
}
