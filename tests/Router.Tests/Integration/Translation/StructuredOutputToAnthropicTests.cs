using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Requesty.Router.Tests.Integration.Translation;

/// <summary>
/// The official OpenAI SDK asks Anthropic models for structured output through /v1/chat/completions: json_schema reaches
/// Anthropic as its own structured outputs (output_config.format, schema cut to what Anthropic accepts, which the
/// simulator enforces with a 400 as Anthropic does), json_object as a system instruction; the SDK reads the JSON answer.
/// </summary>
public sealed class StructuredOutputToAnthropicTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    private const string Model = "anthropic/claude-sonnet-4-5";

    private const string StrictSchema = """
        {"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}},
         "required":["city","celsius","tags"],"additionalProperties":false}
        """;

    // What the OpenAI SDK accepts without strict mode but Anthropic would reject as is: bounds and an open nested object.
    private const string LooseSchema = """
        {"type":"object","properties":{"city":{"type":"string","maxLength":30},"celsius":{"type":"number","minimum":-90,"maximum":60},
         "forecast":{"type":"array","minItems":2,"items":{"type":"object","properties":{"high":{"type":"integer"}},"required":["high"]}}},
         "required":["city","celsius","forecast"]}
        """;

    private sealed record CityWeather(string City, double Celsius, string[] Tags);

    private sealed record CityForecast(string City, double Celsius, DayForecast[] Forecast);

    private sealed record DayForecast(int High);

    private ChatClient Chat(string model = Model) => new(model, new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());

    private static ChatCompletionOptions JsonSchema(string schema, bool strict) => new()
    {
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(schema), jsonSchemaIsStrict: strict),
    };

    [Fact]
    public async Task A_strict_json_schema_reaches_anthropic_as_output_config_and_the_sdk_parses_the_answer()
    {
        var completion = await Chat().CompleteChatAsync([new UserChatMessage("Weather in Oslo")], JsonSchema(StrictSchema, strict: true));

        var parsed = JsonSerializer.Deserialize<CityWeather>(completion.Value.Content[0].Text, JsonSerializerOptions.Web)!;
        Assert.False(string.IsNullOrEmpty(parsed.City));
        Assert.NotEmpty(parsed.Tags);
        var upstream = await fixture.LastUpstreamRequestAsync();
        Assert.Equal("/v1/messages", upstream["path"]!.GetValue<string>());
        var body = upstream["body"]!;
        Assert.Equal("json_schema", body["output_config"]!["format"]!["type"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(StrictSchema)!.ToJsonString(), body["output_config"]!["format"]!["schema"]!.ToJsonString());
        Assert.Null(body["system"]);
        Assert.Null(body["output_format"]);
        Assert.DoesNotContain("anthropic-beta", upstream["headers"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_schema_with_constraints_anthropic_rejects_is_adapted_and_the_answer_still_has_every_required_field()
    {
        var completion = await Chat().CompleteChatAsync([new UserChatMessage("Forecast for Oslo")], JsonSchema(LooseSchema, strict: false));

        var parsed = JsonSerializer.Deserialize<CityForecast>(completion.Value.Content[0].Text, JsonSerializerOptions.Web)!;
        Assert.False(string.IsNullOrEmpty(parsed.City));
        Assert.NotEmpty(parsed.Forecast);
        var schema = (await fixture.LastUpstreamBodyAsync())["output_config"]!["format"]!["schema"]!;
        Assert.False(schema["properties"]!["forecast"]!["items"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Contains("minimum: -90", schema["properties"]!["celsius"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_streamed_json_schema_answer_concatenates_to_json_the_sdk_parses()
    {
        var text = new StringBuilder();
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo")], JsonSchema(StrictSchema, strict: true)))
            foreach (var part in update.ContentUpdate) text.Append(part.Text);

        var parsed = JsonSerializer.Deserialize<CityWeather>(text.ToString(), JsonSerializerOptions.Web)!;
        Assert.False(string.IsNullOrEmpty(parsed.City));
        var body = await fixture.LastUpstreamBodyAsync();
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.Equal("json_schema", body["output_config"]!["format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_object_becomes_a_system_instruction_and_the_answer_is_a_json_object()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };

        var completion = await Chat().CompleteChatAsync(
            [new SystemChatMessage("Extract the animals."), new UserChatMessage("The quick brown fox jumps over the lazy dog")], options);

        Assert.IsType<JsonObject>(JsonNode.Parse(completion.Value.Content[0].Text));
        var body = await fixture.LastUpstreamBodyAsync();
        Assert.Null(body["output_config"]);
        var system = body["system"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Equal("Extract the animals.", system[0]);
        Assert.Contains("valid JSON object", system[1]);
    }

    [Fact]
    public async Task A_claude_model_without_structured_outputs_gets_the_schema_as_a_system_instruction()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-20250514",
            messages = new[] { new { role = "user", content = "Weather in Oslo" } },
            response_format = new { type = "json_schema", json_schema = new { name = "weather", schema = JsonNode.Parse(StrictSchema) } },
        });

        response.EnsureSuccessStatusCode();
        var body = await fixture.LastUpstreamBodyAsync();
        Assert.Null(body["output_config"]);
        Assert.Contains("\"celsius\"", body["system"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_messages_client_asking_a_non_anthropic_model_for_structured_output_gets_json_matching_the_schema()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/messages", new
        {
            model = "openai/gpt-4o-mini",
            max_tokens = 512,
            messages = new[] { new { role = "user", content = "Weather in Oslo" } },
            output_config = new { format = new { type = "json_schema", schema = JsonNode.Parse(StrictSchema) } },
        });

        response.EnsureSuccessStatusCode();
        var text = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["content"]![0]!["text"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(JsonSerializer.Deserialize<CityWeather>(text, JsonSerializerOptions.Web)!.City));
        var upstream = await fixture.LastUpstreamBodyAsync();
        Assert.Equal("json_schema", upstream["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(StrictSchema)!.ToJsonString(), upstream["response_format"]!["json_schema"]!["schema"]!.ToJsonString());
    }
}
