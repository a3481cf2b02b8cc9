using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Messages;
using Requesty.Router.Providers.Anthropic;

namespace Requesty.Router.Tests.Unit.Translation;

/// <summary>OpenAI response_format -> Anthropic structured outputs (output_config.format), and back for /v1/messages clients.</summary>
public class AnthropicStructuredOutputTests
{
    private const string Schema = """
        {"type":"object","properties":{"city":{"type":"string","maxLength":40},"celsius":{"type":"number","minimum":-90,"maximum":60},
         "days":{"type":"array","minItems":3,"items":{"type":"object","properties":{"day":{"type":"string","format":"date"},"code":{"type":"string","format":"iata"}}}},
         "note":{"oneOf":[{"type":"string"},{"type":"null"}]}},"required":["city","celsius","days"]}
        """;

    private static JsonObject Map(string chat, string model = "claude-sonnet-4-5", bool structuredOutputs = true) =>
        AnthropicRequestMapper.FromOpenAIChat(JsonNode.Parse(chat)!.AsObject(), model, structuredOutputs);

    private static string WithFormat(string format) => $$"""{"messages":[{"role":"user","content":"Weather"}],"response_format":{{format}}}""";

    [Fact]
    public void A_json_schema_response_format_becomes_output_config_with_the_schema_and_no_instruction()
    {
        var request = Map(WithFormat("""{"type":"json_schema","json_schema":{"name":"w","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}}}"""));

        var format = request["output_config"]!["format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""", format["schema"]!.ToJsonString());
        Assert.Null(request["system"]);
        Assert.Null(request["output_format"]);
    }

    [Fact]
    public void The_schema_is_cut_to_what_anthropic_accepts_and_the_dropped_constraints_stay_as_descriptions()
    {
        var request = Map(WithFormat("""{"type":"json_schema","json_schema":{"name":"w","schema":""" + Schema + "}}"));

        var schema = request["output_config"]!["format"]!["schema"]!;
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        var celsius = schema["properties"]!["celsius"]!;
        Assert.Null(celsius["minimum"]);
        Assert.Null(celsius["maximum"]);
        Assert.Equal("{minimum: -90, maximum: 60}", celsius["description"]!.GetValue<string>());
        Assert.Null(schema["properties"]!["city"]!["maxLength"]);
        var days = schema["properties"]!["days"]!;
        Assert.Null(days["minItems"]);
        Assert.False(days["items"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("date", days["items"]!["properties"]!["day"]!["format"]!.GetValue<string>());
        Assert.Null(days["items"]!["properties"]!["code"]!["format"]);
        Assert.Equal(2, schema["properties"]!["note"]!["anyOf"]!.AsArray().Count);
        Assert.Equal(["city", "celsius", "days"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void Json_object_is_a_system_instruction_because_anthropic_has_no_free_form_json_mode()
    {
        var request = Map(WithFormat("""{"type":"json_object"}"""));

        Assert.Null(request["output_config"]);
        Assert.Contains("JSON object", request["system"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Targets_without_structured_outputs_get_the_schema_as_an_instruction()
    {
        var request = Map(WithFormat("""{"type":"json_schema","json_schema":{"name":"w","schema":""" + Schema + "}}"), structuredOutputs: false);

        Assert.Null(request["output_config"]);
        Assert.Contains("\"celsius\"", request["system"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", true)]
    [InlineData("claude-sonnet-4-5-20250929", true)]
    [InlineData("claude-haiku-4-5", true)]
    [InlineData("claude-opus-4-1", true)]
    [InlineData("claude-opus-4-6", true)]
    [InlineData("claude-sonnet-4-20250514", false)]
    [InlineData("claude-opus-4-0", false)]
    [InlineData("claude-opus-4", false)]
    [InlineData("claude-3-7-sonnet-latest", false)]
    [InlineData("claude-3-5-haiku-20241022", false)]
    public void Structured_outputs_are_used_from_opus_4_1_on(string model, bool supported) =>
        Assert.Equal(supported, AnthropicStructuredOutput.IsSupportedBy(model));

    [Theory]
    [InlineData("```json\n{\"a\":1}\n```", "{\"a\":1}")]
    [InlineData("  ```\n{\"a\":1}\n```\n", "{\"a\":1}")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("Here: ```json\n{}\n```", "Here: ```json\n{}\n```")]
    public void Json_asked_for_by_instruction_comes_back_without_a_markdown_code_fence(string answer, string expected)
    {
        var message = new JsonObject
        {
            ["id"] = "msg_1",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = answer }),
            ["stop_reason"] = "end_turn",
        };

        var completion = AnthropicResponseMapper.ToOpenAIChatJson(message, "anthropic/claude-sonnet-4-5", DateTimeOffset.UnixEpoch, out _);

        Assert.Equal(expected, completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("output_config", """{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}""")]
    [InlineData("output_format", """{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}""")]
    public void A_messages_client_asking_for_structured_output_reaches_other_providers_as_a_json_schema_response_format(string field, string value)
    {
        var chat = MessagesToChatMapper.ToChat(JsonNode.Parse($$"""{"max_tokens":100,"messages":[{"role":"user","content":"Hi"}],"{{field}}":{{value}}}""")!.AsObject());

        Assert.Equal("json_schema", chat["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}}}""", chat["response_format"]!["json_schema"]!["schema"]!.ToJsonString());
    }
}
