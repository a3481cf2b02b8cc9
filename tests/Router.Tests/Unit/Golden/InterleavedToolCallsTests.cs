using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Messages;

namespace Requesty.Router.Tests.Unit.Golden;

/// <summary>Some OpenAI-compatible providers interleave the argument pieces of parallel tool calls.</summary>
public class InterleavedToolCallsTests
{
    private static JsonObject Chunk(string toolCallsJson, string? finish = null) => JsonNode.Parse($$"""
        {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":{{toolCallsJson}}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}
        """)!.AsObject();

    [Fact]
    public async Task Interleaved_argument_pieces_still_give_each_tool_use_block_its_whole_input()
    {
        var (response, body) = GoldenFiles.Response();
        var output = new AnthropicMessagesOutput(response, "deepseek/deepseek-chat", "msg_x");

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""[{"index":1,"id":"call_b","type":"function","function":{"name":"time","arguments":"{\"tz\":"}}]"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""[{"index":0,"function":{"arguments":"{\"city\":\"Oslo\"}"}}]"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""[{"index":1,"function":{"arguments":"\"UTC\"}"}}]""", "tool_calls"), null, CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = GoldenFiles.SseEvents(GoldenFiles.Written(body));
        var inputs = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var open = new HashSet<int>();
        foreach (var e in events.Select(e => e!["data"]!))
        {
            var index = e["index"]?.GetValue<int>() ?? -1;
            switch (e["type"]!.GetValue<string>())
            {
                case "content_block_start":
                    Assert.Empty(open);
                    open.Add(index);
                    names[index] = e["content_block"]!["name"]!.GetValue<string>();
                    inputs[index] = "";
                    break;
                case "content_block_delta":
                    Assert.Contains(index, open);
                    inputs[index] += e["delta"]!["partial_json"]!.GetValue<string>();
                    break;
                case "content_block_stop":
                    Assert.True(open.Remove(index));
                    break;
            }
        }

        Assert.Equal(["weather", "time"], names.OrderBy(n => n.Key).Select(n => n.Value));
        Assert.Equal("Oslo", JsonNode.Parse(inputs[0])!["city"]!.GetValue<string>());
        Assert.Equal("UTC", JsonNode.Parse(inputs[1])!["tz"]!.GetValue<string>());
        Assert.Equal("tool_use", events.Single(e => e!["event"]!.GetValue<string>() == "message_delta")!["data"]!["delta"]!["stop_reason"]!.GetValue<string>());
    }
}
