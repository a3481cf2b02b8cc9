using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit.ApiSurface;

public class ToolResultIdsTests
{
    private static List<string> Read(string json) => [.. ToolResultIds.Read(JsonNode.Parse(json)!.AsObject())];

    [Fact]
    public void Openai_chat_tool_messages_give_their_tool_call_ids_in_order()
    {
        var ids = Read("""
            {"messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}},{"id":"call_2","type":"function","function":{"name":"b","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"one"},
              {"role":"tool","tool_call_id":"call_2","content":"two"},
              {"role":"user","content":"thanks","tool_call_id":"not-a-tool-message"}]}
            """);

        Assert.Equal(["call_1", "call_2"], ids);
    }

    [Fact]
    public void Anthropic_tool_result_blocks_give_their_tool_use_ids()
    {
        var ids = Read("""
            {"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"w","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},{"type":"text","text":"and?"}]}]}
            """);

        Assert.Equal(["toolu_1"], ids);
    }

    [Fact]
    public void Responses_function_call_outputs_give_their_call_ids()
    {
        var ids = Read("""
            {"input":[
              {"role":"user","content":"weather?"},
              {"type":"function_call","call_id":"call_9","name":"w","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_9","output":"sunny"}]}
            """);

        Assert.Equal(["call_9"], ids);
    }

    [Fact]
    public void Requests_without_tool_results_give_none() =>
        Assert.Empty(Read("""{"input":"plain text","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"""));
}
