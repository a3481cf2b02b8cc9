using System.Text.Json.Nodes;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Tests.Unit;

public class StreamedToolCallsTests
{
    [Fact]
    public void Parallel_tool_calls_are_reassembled_from_their_deltas()
    {
        var calls = new StreamedToolCalls();
        calls.Add(JsonNode.Parse("""[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]""")!.AsArray());
        calls.Add(JsonNode.Parse("""[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]""")!.AsArray());
        calls.Add(JsonNode.Parse("""[{"index":0,"function":{"arguments":"{\"city\":"}}]""")!.AsArray());
        calls.Add(JsonNode.Parse("""[{"index":0,"function":{"arguments":"\"Zürich\"}"}}]""")!.AsArray());

        var made = calls.Made().ToList();

        Assert.Equal(2, made.Count);
        Assert.Equal(("call_a", "get_weather"), (made[0].Id, made[0].Name));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("{\"city\":\"Zürich\"}"), made[0].ArgumentsBytes);
        Assert.Equal(("call_b", "get_time", 2), (made[1].Id, made[1].Name, made[1].ArgumentsBytes));
    }
}
