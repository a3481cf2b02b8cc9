using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Anthropic;

/// <summary>Anthropic structured outputs: answers that match the schema, and the schemas Anthropic rejects.</summary>
public class AnthropicStructuredOutputTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string body)
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.Anthropic(body));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Theory]
    [InlineData("output_config", """{"format":{"type":"json_schema","schema":SCHEMA}}""")]
    [InlineData("output_format", """{"type":"json_schema","schema":SCHEMA}""")]
    public async Task The_answer_is_json_matching_the_schema(string field, string value)
    {
        const string Schema = """
            {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"array","items":{"type":"object",
             "properties":{"high":{"type":"integer"}},"required":["high"],"additionalProperties":false}}},
             "required":["city","days"],"additionalProperties":false}
            """;

        var (status, body) = await SendAsync($$"""
            {"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{"role":"user","content":"Weather"}],"{{field}}":{{value.Replace("SCHEMA", Schema)}}}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body["content"]![0]!["text"]!.GetValue<string>())!;
        Assert.Equal(JsonValueKind.String, answer["city"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, answer["days"]![0]!["high"]!.GetValueKind());
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}}}""", "additionalProperties")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}}}},"additionalProperties":false}""", "properties.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer","minimum":1}},"additionalProperties":false}""", "minimum")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"minItems":2}},"additionalProperties":false}""", "minItems")]
    public async Task Schemas_anthropic_rejects_are_answered_with_400_invalid_request_error(string schema, string mentioned)
    {
        var (status, body) = await SendAsync("""
            {"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{"role":"user","content":"Weather"}],"output_config":{"format":{"type":"json_schema","schema":
            """ + schema + "}}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains(mentioned, body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_system_prompt_asking_for_valid_json_gets_a_json_object()
    {
        var (status, body) = await SendAsync("""
            {"model":"claude-sonnet-4-5","max_tokens":512,"system":[{"type":"text","text":"Respond with a single valid JSON object and nothing else."}],
             "messages":[{"role":"user","content":"Colours of the sky"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.IsType<JsonObject>(JsonNode.Parse(body["content"]![0]!["text"]!.GetValue<string>()));
    }
}
