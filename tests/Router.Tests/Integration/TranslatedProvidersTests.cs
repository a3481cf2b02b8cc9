using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Integration;

/// <summary>The OpenAI SDK asking for Anthropic and Gemini models: the router speaks their formats upstream and OpenAI back.</summary>
public sealed class TranslatedProvidersTests : RouterWithEvents
{

    private ChatClient Client(string model) => new(model, new ApiKeyCredential(Harness.ApiKey), Harness.OpenAIOptions());

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", "/v1/messages")]
    [InlineData("google/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    public async Task A_completion_is_served_in_the_providers_format_and_billed_at_its_prices(string model, string upstreamPath)
    {
        ChatCompletion completion = await Client(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")]);

        Assert.Contains("simulator", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal(upstreamPath, upstream["path"]!.GetValue<string>());
        var system = model.StartsWith("anthropic", StringComparison.Ordinal)
            ? upstream["body"]!["system"]![0]!["text"]!
            : upstream["body"]!["systemInstruction"]!["parts"]![0]!["text"]!;
        Assert.Equal("Be brief.", system.GetValue<string>());
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal(model, published.ServedModel);
        Assert.True(published.Usage.InputTokens > 0 && published.Usage.OutputTokens > 0);
        var price = BuiltInModels.All.Single(m => m.Id == model).Price;
        Assert.Equal(CostCalculator.Cost(published.Usage, price), published.CostUsd);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_stream_is_translated_chunk_by_chunk_with_usage_at_the_end(string model)
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client(model).CompleteChatStreamingAsync([new UserChatMessage("Stream from Claude")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.True(published.Stream);
        Assert.Equal(usage.OutputTokenCount, published.Usage.OutputTokens);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_forced_tool_call_comes_back_as_an_openai_tool_call_in_a_stream(string model)
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };

        var name = "";
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client(model).CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name += call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotNull(JsonNode.Parse(arguments.ToString())!["city"]);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("get_weather", published.ToolCalls.Single().Name);
        Assert.Equal("get_weather", published.ToolsOffered.Single().Name);
    }
}
