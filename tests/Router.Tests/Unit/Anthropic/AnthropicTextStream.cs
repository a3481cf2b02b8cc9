using System.Text.Json.Nodes;

namespace Requesty.Router.Tests.Unit.Anthropic;

/// <summary>An Anthropic Messages SSE stream whose text block arrives in the given deltas, optionally followed by a tool call.</summary>
public static class AnthropicTextStream
{
    public static string Sse(IEnumerable<string> textDeltas, bool withToolCall = false)
    {
        var events = new List<string>
        {
            """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":7,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        };
        events.AddRange(textDeltas.Select(text => new JsonObject
        {
            ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text },
        }.ToJsonString()));
        events.Add("""{"type":"content_block_stop","index":0}""");
        if (withToolCall)
        {
            events.Add("""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"save","input":{}}}""");
            events.Add("""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"ok\":true}"}}""");
            events.Add("""{"type":"content_block_stop","index":1}""");
        }
        var stopReason = withToolCall ? "tool_use" : "end_turn";
        events.Add($$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}"},"usage":{"output_tokens":9}}""");
        events.Add("""{"type":"message_stop"}""");
        return string.Concat(events.Select(e => $"event: {JsonNode.Parse(e)!["type"]!.GetValue<string>()}\ndata: {e}\n\n"));
    }
}
