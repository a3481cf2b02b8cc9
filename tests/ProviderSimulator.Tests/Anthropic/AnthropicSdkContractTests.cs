using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Anthropic;

/// <summary>The official Anthropic .NET SDK, unmodified, against the simulator.</summary>
public class AnthropicSdkContractTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    private const string Model = "claude-sonnet-4-5";

    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private AnthropicClient Client() => new()
    {
        BaseUrl = simulator.BaseAddress.ToString().TrimEnd('/'),
        ApiKey = "sk-ant-test",
        MaxRetries = 0,
    };

    private static MessageCreateParams Params(string text) => new()
    {
        MaxTokens = 1024,
        Model = Model,
        Messages = [new UserMessageParam(text)],
    };

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Current weather",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["location"] = JsonSerializer.SerializeToElement(new { type = "string" }),
                ["unit"] = JsonSerializer.SerializeToElement(new { type = "string", @enum = new[] { "celsius", "fahrenheit" } }),
            },
            Required = ["location", "unit"],
        },
    };

    [Fact]
    public async Task Message_create_returns_text_and_usage()
    {
        var message = await Client().Messages.Create(Params("Hello Claude"));

        Assert.Equal("end_turn", Raw(message)["stop_reason"]!.GetValue<string>());
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal($"Hello from the simulator (anthropic/{Model}). You said: Hello Claude", text!.Text);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        Assert.Equal(0, message.Usage.CacheReadInputTokens);
    }

    [Fact]
    public async Task Sdk_authenticates_in_a_way_the_simulator_accepts_and_records()
    {
        await Client().Messages.Create(Params("Who am I?"));

        var recorded = (await simulator.RecordedRequestsAsync(1))[0]!;
        var headers = recorded["headers"]!.AsObject();
        var auth = headers.FirstOrDefault(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>()
            ?? headers.FirstOrDefault(h => h.Key.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
        Assert.Contains("sk-ant-test", auth);
        Assert.Contains(headers, h => h.Key.Equals("anthropic-version", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Model, recorded["body"]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streamed_message_assembles_text_and_reports_usage()
    {
        var text = new StringBuilder();
        long? inputTokens = null, outputTokens = null;
        string? stopReason = null;
        var kinds = new List<string>();

        await foreach (var streamEvent in Client().Messages.CreateStreaming(Params("Stream me a story")))
        {
            if (streamEvent.TryPickStart(out var start)) { kinds.Add("start"); inputTokens = start!.Message.Usage.InputTokens; }
            if (streamEvent.TryPickContentBlockStart(out _)) kinds.Add("block_start");
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta)) text.Append(textDelta!.Text);
            if (streamEvent.TryPickContentBlockStop(out _)) kinds.Add("block_stop");
            if (streamEvent.TryPickDelta(out var messageDelta))
            {
                kinds.Add("message_delta");
                outputTokens = messageDelta!.Usage.OutputTokens;
                stopReason = JsonNode.Parse(JsonSerializer.Serialize(messageDelta.Delta))!["stop_reason"]?.GetValue<string>();
            }
            if (streamEvent.TryPickStop(out _)) kinds.Add("stop");
        }

        Assert.Equal($"Hello from the simulator (anthropic/{Model}). You said: Stream me a story", text.ToString());
        Assert.Equal(["start", "block_start", "block_stop", "message_delta", "stop"], kinds);
        Assert.True(inputTokens > 0);
        Assert.True(outputTokens > 1);
        Assert.Equal("end_turn", stopReason);
    }

    [Fact]
    public async Task Forced_tool_choice_returns_a_tool_use_block_with_schema_valid_input()
    {
        var parameters = new MessageCreateParams(Params("What's the weather in Oslo?")) { Tools = [WeatherTool()], ToolChoice = new ToolChoiceTool("get_weather") };

        var message = await Client().Messages.Create(parameters);

        Assert.Equal("tool_use", Raw(message)["stop_reason"]!.GetValue<string>());
        var block = Assert.Single(message.Content);
        Assert.True(block.TryPickToolUse(out var toolUse));
        Assert.Equal("get_weather", toolUse!.Name);
        Assert.StartsWith("toolu_", toolUse.ID);
        Assert.Contains(toolUse.Input["unit"].GetString(), new[] { "celsius", "fahrenheit" });
        Assert.Equal(JsonValueKind.String, toolUse.Input["location"].ValueKind);
    }

    [Fact]
    public async Task Prompt_asking_for_a_tool_gets_a_tool_use_block()
    {
        var parameters = new MessageCreateParams(Params("Please use the tool to check the weather")) { Tools = [WeatherTool()] };

        var message = await Client().Messages.Create(parameters);

        Assert.Contains(message.Content, b => b.TryPickToolUse(out _));
    }

    [Fact]
    public async Task Thinking_produces_a_signed_thinking_block_before_the_text()
    {
        var parameters = new MessageCreateParams(Params("Think first")) { Thinking = new ThinkingConfigEnabled(2048) };

        var message = await Client().Messages.Create(parameters);

        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.False(string.IsNullOrEmpty(thinking!.Thinking));
        Assert.False(string.IsNullOrEmpty(thinking.Signature));
        Assert.True(message.Content[1].TryPickText(out _));
    }

    [Fact]
    public async Task Streamed_thinking_carries_thinking_and_signature_deltas()
    {
        var parameters = new MessageCreateParams(Params("Think while streaming")) { Thinking = new ThinkingConfigEnabled(2048) };
        var thinking = new StringBuilder();
        string? signature = null;

        await foreach (var streamEvent in Client().Messages.CreateStreaming(parameters))
        {
            if (!streamEvent.TryPickContentBlockDelta(out var delta)) continue;
            if (delta!.Delta.TryPickThinking(out var thinkingDelta)) thinking.Append(thinkingDelta!.Thinking);
            if (delta.Delta.TryPickSignature(out var signatureDelta)) signature = signatureDelta!.Signature;
        }

        Assert.StartsWith("The user wrote", thinking.ToString());
        Assert.False(string.IsNullOrEmpty(signature));
    }

    [Fact]
    public async Task Streamed_tool_use_arguments_assemble_into_the_tool_input()
    {
        var parameters = new MessageCreateParams(Params("Weather please")) { Tools = [WeatherTool()], ToolChoice = new ToolChoiceAny() };
        var json = new StringBuilder();
        string? toolName = null;

        await foreach (var streamEvent in Client().Messages.CreateStreaming(parameters))
        {
            if (streamEvent.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var toolUse)) toolName = toolUse!.Name;
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var inputJson)) json.Append(inputJson!.PartialJson);
        }

        Assert.Equal("get_weather", toolName);
        var input = JsonNode.Parse(json.ToString())!;
        Assert.Contains(input["unit"]!.GetValue<string>(), new[] { "celsius", "fahrenheit" });
    }

    [Fact]
    public async Task Count_tokens_answers()
    {
        var count = await Client().Messages.CountTokens(new MessageCountTokensParams { Model = Model, Messages = [new UserMessageParam("12345678")] });

        Assert.True(count.InputTokens >= 2);
    }

    private static JsonNode Raw(Message message) => JsonNode.Parse(JsonSerializer.Serialize(message))!;
}
