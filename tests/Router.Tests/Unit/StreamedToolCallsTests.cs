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

    private static readonly string[] Chunks =
    [
        // Parallel calls: id, type and name first, then arguments in pieces, escaped and not.
        """{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}],"usage":null}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Z\u00fcrich \ud83d\ude42\\n\"}"}}]}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"Zürich 🙂"}}]}}]}""",
        // Fields in another order, unknown ones, a null name, two deltas in one chunk, a second choice (not read).
        """{"usage":null,"choices":[{"delta":{"role":"assistant","content":null,"tool_calls":[{"function":{"arguments":"[1,2]","name":null},"extra":{"a":[1,{"b":2}]},"index":2},{"index":3,"id":"call_d","function":{"name":"d"}}]},"index":0},{"index":1,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ignored"}}]}}]}""",
        // No tool calls at all, and tool_calls that are not an array.
        """{"choices":[{"index":0,"delta":{"content":"text"}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":null}}]}""",
        """{"choices":[]}""",
    ];

    [Fact]
    public void Deltas_read_off_a_chunk_s_bytes_add_up_as_when_the_chunk_is_parsed()
    {
        var fromBytes = new StreamedToolCalls();
        var fromTree = new StreamedToolCalls();
        foreach (var chunk in Chunks)
        {
            ToolCallDeltas.Read(System.Text.Encoding.UTF8.GetBytes(chunk), fromBytes);
            if (JsonNode.Parse(chunk)!["choices"] is JsonArray { Count: > 0 } choices && choices[0]!["delta"]?["tool_calls"] is JsonArray calls)
                fromTree.Add(calls);
        }

        var made = fromBytes.Made().ToList();
        Assert.Equal(fromTree.Made().Select(c => (c.Id, c.Name, c.ArgumentsBytes)), made.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(4, made.Count);
        Assert.Equal(("call_a", "get_weather"), (made[0].Id, made[0].Name));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("{\"city\":\"Zürich 🙂\\n\"}Zürich 🙂"), made[0].ArgumentsBytes);
        Assert.Equal((null, "", 5), (made[2].Id, made[2].Name, made[2].ArgumentsBytes));
    }

    [Fact]
    public void A_chunk_that_is_not_JSON_adds_nothing()
    {
        var calls = new StreamedToolCalls();
        ToolCallDeltas.Read("""{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"x","function":{"arguments":"ab" """u8, calls);
        Assert.Empty(calls.Made());
    }
}
