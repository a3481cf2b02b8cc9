using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The ids of the tool results a request carries, in request order, whatever its API: OpenAI chat tool
/// messages (tool_call_id), Anthropic tool_result blocks (tool_use_id), Responses function_call_output items (call_id).
/// </summary>
public static class ToolResultIds
{
    // Runs on every request: plain loops, no empty arrays or iterators for the usual body without tool results.
    public static IEnumerable<string> Read(JsonObject body)
    {
        if (body["messages"] is JsonArray messages)
        {
            foreach (var node in messages)
            {
                if (node is not JsonObject message) continue;
                if (JsonBody.String(message["role"]) is "tool" && JsonBody.String(message["tool_call_id"]) is { } callId)
                {
                    yield return callId;
                    continue;
                }
                if (message["content"] is not JsonArray blocks) continue;
                foreach (var block in blocks)
                {
                    if (block is JsonObject && JsonBody.String(block["type"]) is "tool_result" && JsonBody.String(block["tool_use_id"]) is { } toolUseId)
                        yield return toolUseId;
                }
            }
        }
        if (body["input"] is not JsonArray input) yield break;
        foreach (var item in input)
        {
            if (item is JsonObject && JsonBody.String(item["type"]) is "function_call_output" or "custom_tool_call_output" && JsonBody.String(item["call_id"]) is { } outputId)
                yield return outputId;
        }
    }
}
