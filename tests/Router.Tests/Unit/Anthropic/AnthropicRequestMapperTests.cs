using System.Text.Json.Nodes;
using Requesty.Router.Providers.Anthropic;

namespace Requesty.Router.Tests.Unit.Anthropic;

public class AnthropicRequestMapperTests
{
    private static JsonObject Map(string chat) => AnthropicRequestMapper.FromOpenAIChat(JsonNode.Parse(chat)!.AsObject(), "claude-sonnet-4-5");

    [Fact]
    public void System_messages_move_to_the_system_field_and_max_tokens_gets_a_default()
    {
        var request = Map("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""");

        Assert.Equal("claude-sonnet-4-5", request["model"]!.GetValue<string>());
        Assert.Equal("Be brief.", request["system"]![0]!["text"]!.GetValue<string>());
        var messages = request["messages"]!.AsArray();
        Assert.Single(messages);
        Assert.Equal("user", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("Hi", messages[0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(AnthropicRequestMapper.DefaultMaxTokens, request["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Tool_calls_and_tool_results_become_tool_use_and_tool_result_blocks()
    {
        var request = Map("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},
              {"role":"tool","tool_call_id":"call_2","content":"24C"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "tool_choice":{"type":"function","function":{"name":"weather"}},
             "parallel_tool_calls":false}
            """);

        var messages = request["messages"]!.AsArray();
        Assert.Equal(3, messages.Count);
        var toolUses = messages[1]!["content"]!.AsArray();
        Assert.Equal("tool_use", toolUses[0]!["type"]!.GetValue<string>());
        Assert.Equal("call_2", toolUses[1]!["id"]!.GetValue<string>());
        Assert.Equal("Rome", toolUses[1]!["input"]!["city"]!.GetValue<string>());
        // Both tool results merge into one user turn, as Anthropic requires alternating roles.
        var results = messages[2]!["content"]!.AsArray();
        Assert.Equal("user", messages[2]!["role"]!.GetValue<string>());
        Assert.Equal(["call_1", "call_2"], results.Select(r => r!["tool_use_id"]!.GetValue<string>()));
        Assert.Equal("weather", request["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("object", request["tools"]![0]!["input_schema"]!["type"]!.GetValue<string>());
        Assert.Equal("tool", request["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal("weather", request["tool_choice"]!["name"]!.GetValue<string>());
        Assert.True(request["tool_choice"]!["disable_parallel_tool_use"]!.GetValue<bool>());
    }

    [Fact]
    public void Images_as_data_urls_become_base64_sources_and_http_urls_stay_urls()
    {
        var request = Map("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}
            """);

        var blocks = request["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("base64", blocks[1]!["source"]!["type"]!.GetValue<string>());
        Assert.Equal("image/png", blocks[1]!["source"]!["media_type"]!.GetValue<string>());
        Assert.Equal("iVBORw0KGgo=", blocks[1]!["source"]!["data"]!.GetValue<string>());
        Assert.Equal("url", blocks[2]!["source"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Reasoning_effort_turns_on_thinking_with_room_for_the_answer()
    {
        var request = Map("""{"messages":[{"role":"user","content":"Think"}],"reasoning_effort":"medium","max_tokens":1000,"temperature":0.2}""");

        Assert.Equal("enabled", request["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal(4096, request["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.True(request["max_tokens"]!.GetValue<int>() > 4096);
        Assert.Null(request["temperature"]);
    }

    [Fact]
    public void Stop_and_temperature_are_translated()
    {
        var request = Map("""{"messages":[{"role":"user","content":"x"}],"stop":"END","temperature":1.7,"stream":true}""");

        Assert.Equal("END", request["stop_sequences"]![0]!.GetValue<string>());
        Assert.Equal(1.0, request["temperature"]!.GetValue<double>());
        Assert.True(request["stream"]!.GetValue<bool>());
    }
}
