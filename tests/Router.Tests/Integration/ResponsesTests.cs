using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.TestKit;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK.

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// The official OpenAI SDK's ResponsesClient against POST /v1/responses: passed through to the
/// provider's Responses API for openai-responses/ models, translated through chat for the others.
/// </summary>
public sealed class ResponsesTests : RouterWithEvents
{
    private const string Passthrough = "openai-responses/gpt-4o-mini";

    private ResponsesClient Client() => new(new ApiKeyCredential(Harness.ApiKey), new ResponsesClientOptions
    {
        Endpoint = new Uri(Harness.Router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    private static readonly FunctionTool WeatherTool = ResponseTool.CreateFunctionTool("get_weather",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
        strictModeEnabled: false, functionDescription: "Weather for a city");

    [Theory]
    [InlineData(Passthrough, "/v1/responses")]
    [InlineData("openai/gpt-4o-mini", "/v1/chat/completions")]
    [InlineData("anthropic/claude-sonnet-4-5", "/v1/messages")]
    [InlineData("google/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    public async Task A_response_carries_the_answer_its_usage_and_the_exact_cost(string model, string upstreamPath)
    {
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Hello there")]) { Instructions = "Be brief." };

        var result = await Client().CreateResponseAsync(options);

        ResponseResult response = result;
        Assert.Contains("simulator", response.GetOutputText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal(upstreamPath, upstream["path"]!.GetValue<string>());
        Assert.Contains("Be brief.", upstream["body"]!.ToJsonString());

        var published = await Events.WaitForAsync(e => e.RequestId == RequestId(result.GetRawResponse()));
        Assert.Equal("responses", published.Endpoint);
        Assert.Equal(model, published.ServedModel);
        Assert.Equal("success", published.Status);
        Assert.Equal(response.Usage.OutputTokenCount, published.Usage.OutputTokens);
        Assert.Equal(response.Usage.InputTokenCount, published.Usage.InputTokens + published.Usage.CacheReadTokens + published.Usage.CacheWriteTokens);
        var cost = Cost(JsonNode.Parse(result.GetRawResponse().Content.ToString())!["usage"]);
        Assert.Equal(CostCalculator.Cost(published.Usage, PriceOf(model)), cost);
        Assert.Equal(published.CostUsd, cost);
        Assert.True(cost > 0m);
    }

    [Theory]
    [InlineData(Passthrough)]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_stream_is_assembled_from_text_deltas_and_completes_with_usage_and_cost(string model)
    {
        var text = new StringBuilder();
        var kinds = new List<StreamingResponseUpdateKind>();
        StreamingResponseCompletedUpdate? completed = null;
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Stream to me please")]) { StreamingEnabled = true };
        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            kinds.Add(update.Kind);
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
            if (update is StreamingResponseCompletedUpdate done) completed = done;
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StreamingResponseUpdateKind.ResponseCreated, kinds[0]);
        Assert.Equal(StreamingResponseUpdateKind.ResponseCompleted, kinds[^1]);
        Assert.Contains(StreamingResponseUpdateKind.ResponseOutputTextDone, kinds);
        Assert.NotNull(completed);
        Assert.Equal(text.ToString(), completed.Response.GetOutputText());
        Assert.True(completed.Response.Usage.OutputTokenCount > 0);

        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.True(published.Stream);
        Assert.Equal("responses", published.Endpoint);
        Assert.Equal(completed.Response.Usage.OutputTokenCount, published.Usage.OutputTokens);
        Assert.NotNull(published.TimeToFirstTokenMs);
        var usage = JsonNode.Parse(ModelReaderWriter.Write(completed.Response.Usage).ToString());
        Assert.Equal(published.CostUsd, Cost(usage));
        Assert.Equal(CostCalculator.Cost(published.Usage, PriceOf(model)), published.CostUsd);
    }

    [Theory]
    [InlineData(Passthrough)]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_function_call_round_trip_returns_a_call_then_answers_its_output(string model)
    {
        var client = Client();
        var question = ResponseItem.CreateUserMessageItem("What is the weather in Paris?");
        var first = new CreateResponseOptions(model, [question])
        {
            Tools = { WeatherTool },
            ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_weather"),
        };

        ResponseResult calling = await client.CreateResponseAsync(first);

        var call = Assert.Single(calling.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("get_weather", call.FunctionName);
        Assert.NotNull(JsonNode.Parse(call.FunctionArguments.ToString())!["city"]);
        Assert.False(string.IsNullOrEmpty(call.CallId));

        var second = new CreateResponseOptions(model,
        [
            question,
            ResponseItem.CreateFunctionCallItem(call.CallId, call.FunctionName, call.FunctionArguments),
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, """{"temperature_c":21}"""),
        ])
        { Tools = { WeatherTool } };
        ResponseResult answered = await client.CreateResponseAsync(second);

        Assert.Empty(answered.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Contains("simulator", answered.GetOutputText(), StringComparison.OrdinalIgnoreCase);
        var upstreamBody = (await LastUpstreamRequestAsync())["body"]!.ToJsonString();
        // Gemini links a function response to its call by name; the others by the call id.
        Assert.Contains(model.StartsWith("google", StringComparison.Ordinal) ? "get_weather" : call.CallId, upstreamBody);
        Assert.Contains("temperature_c", upstreamBody);
        var events = await Eventually.GetAsync(() =>
        {
            var received = Events.Received.Where(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId).ToList();
            return Task.FromResult(received.Count == 2 ? received : null);
        });
        var withCall = Assert.Single(events, e => e.ToolCalls.Count > 0);
        Assert.Equal("get_weather", withCall.ToolCalls.Single().Name);
        Assert.All(events, e => Assert.Equal("get_weather", e.ToolsOffered.Single().Name));
    }

    [Theory]
    [InlineData(Passthrough)]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_streamed_function_call_arrives_as_argument_deltas_and_a_done_item(string model)
    {
        var arguments = new StringBuilder();
        StreamingResponseFunctionCallArgumentsDoneUpdate? argumentsDone = null;
        FunctionCallResponseItem? item = null;
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Tools = { WeatherTool },
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
            StreamingEnabled = true,
        };
        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseFunctionCallArgumentsDeltaUpdate delta) arguments.Append(delta.Delta.ToString());
            if (update is StreamingResponseFunctionCallArgumentsDoneUpdate done) argumentsDone = done;
            if (update is StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem call }) item = call;
        }

        Assert.NotNull(argumentsDone);
        Assert.NotNull(item);
        Assert.Equal("get_weather", item.FunctionName);
        Assert.Equal(arguments.ToString(), argumentsDone.FunctionArguments.ToString());
        Assert.Equal(arguments.ToString(), item.FunctionArguments.ToString());
        Assert.NotNull(JsonNode.Parse(arguments.ToString())!["city"]);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("get_weather", published.ToolCalls.Single().Name);
    }

    [Fact]
    public async Task Translated_requests_carry_instructions_images_format_limits_and_reasoning_in_the_providers_format()
    {
        using var http = Harness.CreateRouterClient();
        var request = new JsonObject
        {
            ["model"] = "google/gemini-2.5-flash",
            ["instructions"] = "Answer in JSON.",
            ["input"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "input_text", ["text"] = "Describe this picture" },
                    new JsonObject { ["type"] = "input_image", ["image_url"] = "data:image/png;base64,iVBORw0KGgo=" }),
            }),
            ["max_output_tokens"] = 300,
            ["temperature"] = 0.2,
            ["text"] = new JsonObject
            {
                ["format"] = new JsonObject
                {
                    ["type"] = "json_schema", ["name"] = "picture",
                    ["schema"] = JsonNode.Parse("""{"type":"object","properties":{"colour":{"type":"string"}},"required":["colour"]}"""),
                },
            },
            ["reasoning"] = new JsonObject { ["effort"] = "low" },
        };

        using var answer = await http.PostAsJsonAsync("v1/responses", request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("response", body["object"]!.GetValue<string>());
        Assert.Equal("google/gemini-2.5-flash", body["model"]!.GetValue<string>());
        Assert.Equal("Answer in JSON.", body["instructions"]!.GetValue<string>());
        var message = body["output"]!.AsArray().Single(item => item!["type"]!.GetValue<string>() == "message")!;
        Assert.NotNull(JsonNode.Parse(message["content"]![0]!["text"]!.GetValue<string>())!["colour"]);
        Assert.True(body["usage"]!["output_tokens_details"]!["reasoning_tokens"]!.GetValue<long>() > 0);

        var upstream = (await LastUpstreamRequestAsync())["body"]!;
        Assert.Equal("Answer in JSON.", upstream["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        var config = upstream["generationConfig"]!;
        Assert.Equal(0.2, config["temperature"]!.GetValue<double>());
        Assert.Equal(300, config["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("application/json", config["responseMimeType"]!.GetValue<string>());
        Assert.Equal(1024, config["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        var parts = upstream["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal("image/png", parts[1]!["inlineData"]!["mimeType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_is_answered_in_openais_error_format_with_the_field_named()
    {
        using var http = Harness.CreateRouterClient();

        var missingInput = await ErrorAsync(http, new JsonObject { ["model"] = Passthrough });
        Assert.Equal((400, "invalid_request_error", "input"), missingInput);
        var unknownModel = await ErrorAsync(http, new JsonObject { ["model"] = "openai-responses/gpt-99", ["input"] = "hi" });
        Assert.Equal((404, "invalid_request_error", "model"), unknownModel);
        var badTokens = await ErrorAsync(http, new JsonObject { ["model"] = Passthrough, ["input"] = "hi", ["max_output_tokens"] = -5 });
        Assert.Equal((400, "invalid_request_error", "max_output_tokens"), badTokens);
        var statefulTranslated = await ErrorAsync(http, new JsonObject
        {
            ["model"] = "anthropic/claude-sonnet-4-5", ["input"] = "hi", ["previous_response_id"] = "resp_123",
        });
        Assert.Equal((400, "invalid_request_error", "previous_response_id"), statefulTranslated);
        var builtInTool = await ErrorAsync(http, new JsonObject
        {
            ["model"] = "google/gemini-2.5-flash", ["input"] = "hi",
            ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search" }),
        });
        Assert.Equal((400, "invalid_request_error", "tools[0].type"), builtInTool);

        using var notJson = await http.PostAsync("v1/responses", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var anonymous = Harness.Router.CreateClient();
        using var unauthenticated = await anonymous.PostAsJsonAsync("v1/responses", new JsonObject { ["model"] = Passthrough, ["input"] = "hi" });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var sim = Harness.Simulator.CreateClient();
        var requests = JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=10"))!.AsArray();
        Assert.Empty(requests);
        var failed = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId && e.ErrorMessage?.Contains("previous_response_id", StringComparison.Ordinal) == true);
        Assert.Equal(400, failed.HttpStatus);
        Assert.Equal("responses", failed.Endpoint);
    }

    [Theory]
    [InlineData(Passthrough, "openai")]
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic")]
    public async Task An_upstream_rate_limit_reaches_the_client_as_an_openai_error(string model, string simulatorProvider)
    {
        using var sim = Harness.Simulator.CreateClient();
        using var rule = await sim.PutAsJsonAsync("__sim/behaviour", new JsonObject { ["provider"] = simulatorProvider, ["status"] = 429, ["count"] = 1 });
        rule.EnsureSuccessStatusCode();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(model, "Hello", previousResponseId: null));

        Assert.Equal(429, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!;
        Assert.Equal("rate_limit_error", body["error"]!["type"]!.GetValue<string>());
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal(429, published.HttpStatus);
        Assert.Equal("rate_limit", published.ErrorKind);
    }

    private static async Task<(int Status, string Type, string? Param)> ErrorAsync(HttpClient http, JsonObject request)
    {
        using var answer = await http.PostAsJsonAsync("v1/responses", request);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!;
        return ((int)answer.StatusCode, error["type"]!.GetValue<string>(), error["param"]?.GetValue<string>());
    }

    private static Guid RequestId(PipelineResponse response) =>
        response.Headers.TryGetValue("x-request-id", out var id) ? Guid.Parse(id!) : throw new InvalidOperationException("no x-request-id");

    private static decimal Cost(JsonNode? usage) => usage!["cost"]!.GetValue<decimal>();

    private static ModelPrice PriceOf(string model) => BuiltInModels.All.Single(m => m.Id == model).Price;
}
