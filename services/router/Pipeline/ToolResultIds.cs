using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The ids of the tool results a request carries, in request order, whatever its API: OpenAI chat tool
/// messages (tool_call_id), Anthropic tool_result blocks (tool_use_id), Responses function_call_output items (call_id).
/// </summary>
public static class ToolResultIds
{
    public static IEnumerable<string> Read(JsonObject body)
    {
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(message["role"]) is "tool" && JsonBody.String(message["tool_call_id"]) is { } callId)
            {
                yield return callId;
                continue;
            }
            foreach (var block in (message["content"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (JsonBody.String(block["type"]) is "tool_result" && JsonBody.String(block["tool_use_id"]) is { } toolUseId) yield return toolUseId;
            }
        }
        foreach (var item in (body["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(item["type"]) is "function_call_output" or "custom_tool_call_output" && JsonBody.String(item["call_id"]) is { } outputId)
                yield return outputId;
        }
    }
}
