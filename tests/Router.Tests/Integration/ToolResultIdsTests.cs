using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Requesty.Router.Tests.Integration;

/// <summary>RequestCompleted.ToolResultIds for a tool round trip on each client API, on the real RabbitMQ.</summary>
public sealed class ToolResultIdsTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task An_openai_sdk_tool_round_trip_publishes_the_result_ids_of_the_second_request(string model)
    {
        var client = new ChatClient(model, new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];

        var first = await client.CompleteChatAsync(messages, options);
        var call = Assert.Single(first.Value.ToolCalls);
        var firstEvent = await fixture.PublishedAsync(first.GetRawResponse());
        Assert.Empty(firstEvent.ToolResultIds);
        Assert.Equal(call.Id, firstEvent.ToolCalls.Single().Id);

        messages.Add(new AssistantChatMessage(first.Value));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature":3}"""));
        var second = await client.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { tool } });

        Assert.Equal(ChatFinishReason.Stop, second.Value.FinishReason);
        var secondEvent = await fixture.PublishedAsync(second.GetRawResponse());
        Assert.Equal([call.Id], secondEvent.ToolResultIds);
    }

    [Fact]
    public async Task A_messages_request_publishes_its_tool_result_block_ids()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/messages", JsonNode.Parse("""
            {"model":"anthropic/claude-sonnet-4-5","max_tokens":100,
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[
               {"role":"user","content":"Weather in Oslo?"},
               {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Oslo"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"3 degrees"}]}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = await fixture.PublishedAsync(response);
        Assert.Equal(["toolu_01A"], published.ToolResultIds);
    }

    [Fact]
    public async Task A_responses_request_publishes_its_function_call_output_ids()
    {
        using var http = fixture.Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/responses", JsonNode.Parse("""
            {"model":"openai/gpt-4o-mini",
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "input":[
               {"role":"user","content":"Weather in Oslo?"},
               {"type":"function_call","call_id":"call_R1","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"},
               {"type":"function_call_output","call_id":"call_R1","output":"3 degrees"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = await fixture.PublishedAsync(response);
        Assert.Equal(["call_R1"], published.ToolResultIds);
    }
}
