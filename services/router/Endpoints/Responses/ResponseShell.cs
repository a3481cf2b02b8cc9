using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Endpoints.Responses;

/// <summary>
/// The top-level Responses object a translated answer is wrapped in: id, status, and the request's
/// settings echoed back as OpenAI does. No state is kept, so <c>store</c> is always false.
/// </summary>
public sealed class ResponseShell(JsonObject request, string model, DateTimeOffset createdAt)
{
    public string Id { get; } = "resp_" + Guid.NewGuid().ToString("N");

    public JsonObject Build(string status, JsonArray output, JsonObject? usage, JsonObject? incompleteDetails = null, JsonObject? error = null) => new()
    {
        ["id"] = Id,
        ["object"] = "response",
        ["created_at"] = createdAt.ToUnixTimeSeconds(),
        ["status"] = status,
        ["error"] = error,
        ["incomplete_details"] = incompleteDetails,
        ["instructions"] = Echo("instructions"),
        ["max_output_tokens"] = Echo("max_output_tokens"),
        ["model"] = model,
        ["output"] = output,
        ["parallel_tool_calls"] = request["parallel_tool_calls"] is JsonValue parallel ? parallel.DeepClone() : true,
        ["previous_response_id"] = null,
        ["reasoning"] = new JsonObject { ["effort"] = Echo("reasoning", "effort"), ["summary"] = Echo("reasoning", "summary") },
        ["store"] = false,
        ["temperature"] = Echo("temperature") ?? 1.0,
        ["text"] = Echo("text") ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
        ["tool_choice"] = Echo("tool_choice") ?? "auto",
        ["tools"] = Echo("tools") ?? new JsonArray(),
        ["top_p"] = Echo("top_p") ?? 1.0,
        ["truncation"] = "disabled",
        ["usage"] = usage,
        ["user"] = Echo("user"),
        ["metadata"] = Echo("metadata") ?? new JsonObject(),
    };

    private JsonNode? Echo(string name, string? child = null)
    {
        var node = request[name];
        if (child is not null) node = node is JsonObject o ? o[child] : null;
        return node?.DeepClone();
    }

    /// <summary>Chat finish reason -> Responses status and incomplete_details.</summary>
    public static (string Status, JsonObject? Incomplete) Outcome(string? finishReason) => finishReason switch
    {
        "length" => ("incomplete", new JsonObject { ["reason"] = "max_output_tokens" }),
        "content_filter" => ("incomplete", new JsonObject { ["reason"] = "content_filter" }),
        _ => ("completed", null),
    };

    public static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() };

    public static JsonObject MessageItem(string id, string status, JsonArray content) => new()
    {
        ["type"] = "message", ["id"] = id, ["status"] = status, ["role"] = "assistant", ["content"] = content,
    };

    public static JsonObject FunctionCallItem(string id, string callId, string name, string arguments, string status) => new()
    {
        ["type"] = "function_call", ["id"] = id, ["call_id"] = callId, ["name"] = name, ["arguments"] = arguments, ["status"] = status,
    };

    public static JsonObject ReasoningItem(string id, string? summary) => new()
    {
        ["type"] = "reasoning",
        ["id"] = id,
        ["summary"] = summary is null ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = summary }),
    };

    /// <summary>A generated image as the Responses API returns one: an image_generation_call whose result is the base64 image.</summary>
    public static JsonObject ImageGenerationItem(string id, string status, GeneratedImage? image) => new()
    {
        ["type"] = "image_generation_call",
        ["id"] = id,
        ["status"] = status,
        ["result"] = image?.Base64,
        ["output_format"] = image?.Format,
    };

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");

    public static string? FinishReason(JsonObject chunkOrCompletion) => JsonBody.String(JsonBody.First(chunkOrCompletion["choices"])?["finish_reason"]);
}
