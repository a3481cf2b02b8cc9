using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Responses;

namespace Requesty.Router.Tests.Unit;

public class ResponsesToChatMapperTests
{
    private static JsonObject Map(string request) => ResponsesToChatMapper.ToChat(JsonNode.Parse(request)!.AsObject());

    [Fact]
    public void A_string_input_with_instructions_becomes_a_system_and_a_user_message_with_the_settings_renamed()
    {
        var chat = Map("""
            {"model":"anthropic/claude-sonnet-4-5","instructions":"Be brief.","input":"Hi","max_output_tokens":100,
             "temperature":0.3,"top_p":0.9,"stream":true,"reasoning":{"effort":"high","summary":"auto"},"store":true}
            """);

        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]""", chat["messages"]!.ToJsonString());
        Assert.Equal(100, chat["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.3, chat["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, chat["top_p"]!.GetValue<double>());
        Assert.True(chat["stream"]!.GetValue<bool>());
        Assert.Equal("high", chat["reasoning_effort"]!.GetValue<string>());
        Assert.Null(chat["store"]);
        Assert.Null(chat["model"]);
    }

    [Fact]
    public void Message_items_keep_their_roles_and_parts_become_chat_parts()
    {
        var chat = Map("""
            {"input":[
              {"role":"developer","content":"Rules."},
              {"type":"message","role":"user","content":[
                 {"type":"input_text","text":"Look"},
                 {"type":"input_image","image_url":"https://example.test/a.png","detail":"high"},
                 {"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Seen."}]},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"role":"user","content":"And now?"}]}
            """);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(4, messages.Count);
        Assert.Equal("""{"role":"system","content":"Rules."}""", messages[0]!.ToJsonString());
        var parts = messages[1]!["content"]!.AsArray();
        Assert.Equal("""{"type":"text","text":"Look"}""", parts[0]!.ToJsonString());
        Assert.Equal("""{"type":"image_url","image_url":{"url":"https://example.test/a.png","detail":"high"}}""", parts[1]!.ToJsonString());
        Assert.Equal("""{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}}""", parts[2]!.ToJsonString());
        Assert.Equal("""{"role":"assistant","content":"Seen."}""", messages[2]!.ToJsonString());
        Assert.Equal("""{"role":"user","content":"And now?"}""", messages[3]!.ToJsonString());
    }

    [Fact]
    public void Function_calls_join_one_assistant_turn_and_their_outputs_become_tool_messages()
    {
        var chat = Map("""
            {"input":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","call_id":"call_2","name":"get_weather","arguments":"{\"city\":\"Rome\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"21C"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"25C"}]}]}
            """);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(4, messages.Count);
        var calls = messages[1]!["tool_calls"]!.AsArray();
        Assert.Equal("assistant", messages[1]!["role"]!.GetValue<string>());
        Assert.Equal(2, calls.Count);
        Assert.Equal("""{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Rome\u0022}"}}""", calls[1]!.ToJsonString());
        Assert.Equal("""{"role":"tool","tool_call_id":"call_1","content":"21C"}""", messages[2]!.ToJsonString());
        Assert.Equal("""{"role":"tool","tool_call_id":"call_2","content":"25C"}""", messages[3]!.ToJsonString());
    }

    [Fact]
    public void Flat_function_tools_are_nested_and_the_choice_and_text_format_follow()
    {
        var chat = Map("""
            {"input":"Hi","parallel_tool_calls":false,
             "tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"get_weather"},
             "text":{"format":{"type":"json_schema","name":"weather","schema":{"type":"object"},"strict":true}}}
            """);

        Assert.Equal("""[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"},"description":"Weather","strict":true}}]""",
            chat["tools"]!.ToJsonString());
        Assert.Equal("""{"type":"function","function":{"name":"get_weather"}}""", chat["tool_choice"]!.ToJsonString());
        Assert.False(chat["parallel_tool_calls"]!.GetValue<bool>());
        Assert.Equal("""{"type":"json_schema","json_schema":{"name":"weather","schema":{"type":"object"},"strict":true}}""", chat["response_format"]!.ToJsonString());
        Assert.Equal("""{"type":"json_object"}""", Map("""{"input":"Hi","text":{"format":{"type":"json_object"}}}""")["response_format"]!.ToJsonString());
        Assert.Null(Map("""{"input":"Hi","text":{"format":{"type":"text"}}}""")["response_format"]);
        Assert.Equal("required", Map("""{"input":"Hi","tools":[{"type":"function","name":"f"}],"tool_choice":"required"}""")["tool_choice"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"input":"Hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"input":"Hi","tools":[{"type":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"input":[{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}]}""", "input[0].content")]
    [InlineData("""{"input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0].type")]
    [InlineData("""{"input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"input":[{"role":"robot","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"input":["just a string"]}""", "input[0]")]
    public void What_chat_cannot_express_is_refused_naming_the_field(string request, string param)
    {
        var refused = Assert.Throws<InvalidResponsesRequestException>(() => Map(request));

        Assert.Equal(param, refused.Param);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
    }

    [Fact]
    public void The_offered_tools_and_the_conversation_are_read_for_the_event()
    {
        var request = JsonNode.Parse("""
            {"instructions":"Be brief.","tools":[{"type":"function","name":"a"},{"type":"web_search"}],
             "input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]},{"type":"function_call_output","call_id":"c","output":"x"}]}
            """)!.AsObject();

        Assert.Equal(new[] { "a" }, ResponsesToChatMapper.Offered(request).Select(t => t.Name));
        Assert.Equal(new List<(string, string)> { ("system", "Be brief."), ("user", "Hi") }, ResponsesToChatMapper.Conversation(request));
    }
}
