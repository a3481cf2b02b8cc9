using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Images;
using OpenAI.Models;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.OpenAI;

/// <summary>The official OpenAI .NET SDK, unmodified, against the simulator.</summary>
public class OpenAISdkContractTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    private const string WeatherSchema = """
        {"type":"object","additionalProperties":false,
         "properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},
                       "days":{"type":"integer","minimum":1,"maximum":5},"hourly":{"type":"boolean"}},
         "required":["location","unit","days","hourly"]}
        """;

    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private OpenAIClientOptions Options() => new()
    {
        Endpoint = new Uri(simulator.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    };

    private ChatClient Chat(string model = "gpt-4o-mini") => new(model, new ApiKeyCredential("sk-test"), Options());

    [Fact]
    public async Task Chat_completion_answers_with_deterministic_text_and_usage()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Tell me something nice")]);

        Assert.Equal("Hello from the simulator (openai/gpt-4o-mini). You said: Tell me something nice", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal("fp_simulator", completion.SystemFingerprint);
    }

    [Fact]
    public async Task Reasoning_effort_reports_reasoning_tokens()
    {
#pragma warning disable OPENAI001 // reasoning effort is marked experimental in the SDK
        var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.High };
#pragma warning restore OPENAI001
        ChatCompletion completion = await Chat("o3").CompleteChatAsync([new UserChatMessage("Think hard")], options);

        Assert.True(completion.Usage.OutputTokenDetails.ReasoningTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > completion.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task Max_tokens_truncates_with_finish_reason_length()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 3 };
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Write a long essay")], options);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal("Hello from t", completion.Content[0].Text);
    }

    [Fact]
    public async Task Streamed_chat_completion_assembles_the_text_and_reports_usage()
    {
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Stream please")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from the simulator (openai/gpt-4o-mini). You said: Stream please", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Forced_tool_call_has_arguments_valid_for_the_schema()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather forecast", BinaryData.FromString(WeatherSchema));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.Id);
        var arguments = JsonNode.Parse(call.FunctionArguments.ToString());
        Assert.Empty(SchemaValidator.Validate(arguments, JsonNode.Parse(WeatherSchema)));
    }

    [Fact]
    public async Task Streamed_tool_call_arguments_assemble_into_valid_json()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather forecast", BinaryData.FromString(WeatherSchema));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        var arguments = new System.Text.StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Empty(SchemaValidator.Validate(JsonNode.Parse(arguments.ToString()), JsonNode.Parse(WeatherSchema)));
    }

    [Fact]
    public async Task Json_schema_structured_output_parses_and_validates()
    {
        const string schema = """
            {"type":"object","additionalProperties":false,"required":["animals","count"],
             "properties":{"animals":{"type":"array","items":{"type":"string"}},"count":{"type":"integer","minimum":0}}}
            """;
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("animals", BinaryData.FromString(schema), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("The quick brown fox")], options);

        var content = JsonNode.Parse(completion.Content[0].Text);
        Assert.Empty(SchemaValidator.Validate(content, JsonNode.Parse(schema)));
    }

    [Fact]
    public async Task Several_choices_come_back_when_n_is_set()
    {
        var client = Chat();
        var request = BinaryContent.Create(BinaryData.FromString("""
            {"model":"gpt-4o-mini","n":3,"messages":[{"role":"user","content":"Hi"}]}
            """));
        var result = await client.CompleteChatAsync(request);
        var body = JsonNode.Parse(result.GetRawResponse().Content.ToString())!;

        Assert.Equal(3, body["choices"]!.AsArray().Count);
        Assert.Equal(2, body["choices"]![2]!["index"]!.GetValue<int>());
    }

    [Fact]
    public async Task Embeddings_have_the_requested_dimensions_and_are_deterministic()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential("sk-test"), Options());
        var options = new EmbeddingGenerationOptions { Dimensions = 256 };

        OpenAIEmbedding first = await client.GenerateEmbeddingAsync("hello world", options);
        OpenAIEmbedding again = await client.GenerateEmbeddingAsync("hello world", options);

        var vector = first.ToFloats().ToArray();
        Assert.Equal(256, vector.Length);
        Assert.Equal(vector, again.ToFloats().ToArray());
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);
    }

    [Fact]
    public async Task Image_generation_returns_png_bytes()
    {
        var client = new ImageClient("gpt-image-1", new ApiKeyCredential("sk-test"), Options());

        GeneratedImage image = await client.GenerateImageAsync("A red square", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        var bytes = image.ImageBytes.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
    }

    [Fact]
    public async Task Model_list_is_readable()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential("sk-test"), Options());

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Contains(models, m => m.Id == "gpt-4o-mini");
    }

    [Fact]
    public async Task Rate_limit_rule_surfaces_as_429_with_retry_after()
    {
        await simulator.SetBehaviourAsync(new { provider = "openai", model = "gpt-limited", status = 429, retry_after_s = 7 });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("gpt-limited").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(429, error.Status);
        var response = error.GetRawResponse()!;
        Assert.True(response.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.Equal("7", retryAfter);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(response.Content.ToString())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rule_with_count_two_applies_exactly_twice()
    {
        await simulator.SetBehaviourAsync(new { model = "gpt-flaky", status = 503, count = 2 });
        var client = Chat("gpt-flaky");

        var first = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("1")]));
        var second = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("2")]));
        ChatCompletion third = await client.CompleteChatAsync([new UserChatMessage("3")]);

        Assert.Equal(503, first.Status);
        Assert.Equal(503, second.Status);
        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);
    }

    [Fact]
    public async Task Missing_api_key_is_401_in_openai_format()
    {
        using var http = simulator.CreateClient();
        var response = await http.PostAsync("v1/chat/completions", new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(401, (int)response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_api_key", body["error"]!["code"]!.GetValue<string>());
    }
}
