using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Endpoints.Messages;

/// <summary>Anthropic Messages request -> OpenAI chat completion request, for models of other providers.</summary>
public static class MessagesToChatMapper
{
    /// <summary>
    /// Anthropic structured outputs (output_config.format, or the older beta output_format) -> OpenAI's json_schema; not strict,
    /// because Anthropic allows optional properties that OpenAI's strict mode rejects.
    /// </summary>
    private static JsonObject? ResponseFormat(JsonNode? format) =>
        JsonBody.String(format?["type"]) == "json_schema" && format?["schema"] is JsonObject schema
            ? new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "response", ["schema"] = schema.DeepClone() },
            }
            : null;

    public static JsonObject ToChat(JsonObject request)
    {
        var messages = new JsonArray();
        if (SystemText(request["system"]) is { Length: > 0 } system) messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        foreach (var message in (request["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(message["role"]) == "assistant") messages.Add(Assistant(message["content"]));
            else AddUser(messages, message["content"]);
        }

        var chat = new JsonObject { ["messages"] = messages };
        if (request["max_tokens"] is JsonValue max) chat["max_tokens"] = max.DeepClone();
        if (request["temperature"] is JsonValue temperature) chat["temperature"] = temperature.DeepClone();
        if (request["top_p"] is JsonValue topP) chat["top_p"] = topP.DeepClone();
        if (request["stop_sequences"] is JsonArray stops) chat["stop"] = stops.DeepClone();
        if (JsonBody.Bool(request["stream"])) chat["stream"] = true;
        if (JsonBody.String(request["metadata"]?["user_id"]) is { } user) chat["user"] = user;
        if (request["thinking"] is JsonObject thinking && JsonBody.String(thinking["type"]) == "enabled")
        {
            var budget = thinking["budget_tokens"] is JsonValue b && b.TryGetValue<int>(out var tokens) ? tokens : 4096;
            chat["reasoning_effort"] = budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
        }
        if (ResponseFormat(request["output_config"]?["format"] ?? request["output_format"]) is { } format) chat["response_format"] = format;

        var tools = new JsonArray();
        foreach (var tool in (request["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // Server tools (web search, code execution...) have a versioned type and no schema: Anthropic-only.
            if (tool["input_schema"] is not JsonObject schema) continue;
            var function = new JsonObject { ["name"] = JsonBody.String(tool["name"]), ["parameters"] = schema.DeepClone() };
            if (JsonBody.String(tool["description"]) is { } description) function["description"] = description;
            tools.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }
        if (tools.Count > 0)
        {
            chat["tools"] = tools;
            if (request["tool_choice"] is JsonObject choice)
            {
                JsonNode? mapped = JsonBody.String(choice["type"]) switch
                {
                    "any" => "required",
                    "none" => "none",
                    "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = JsonBody.String(choice["name"]) } },
                    _ => "auto",
                };
                chat["tool_choice"] = mapped;
                if (JsonBody.Bool(choice["disable_parallel_tool_use"])) chat["parallel_tool_calls"] = false;
            }
        }
        return chat;
    }

    /// <summary>A string, or the text blocks of a block array joined.</summary>
    private static string? SystemText(JsonNode? content)
    {
        if (JsonBody.String(content) is { } text) return text;
        if (content is not JsonArray blocks) return null;
        var joined = new StringBuilder();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            if (JsonBody.String(block["type"]) == "text") joined.Append(JsonBody.String(block["text"]));
        }
        return joined.ToString();
    }

    private static void AddUser(JsonArray messages, JsonNode? content)
    {
        if (JsonBody.String(content) is { } text)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
            return;
        }
        var parts = new JsonArray();
        foreach (var block in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(block["type"]))
            {
                case "tool_result":
                    // OpenAI wants tool results as their own messages, right after the assistant's calls.
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = JsonBody.String(block["tool_use_id"]),
                        ["content"] = SystemText(block["content"]) ?? "",
                    });
                    break;
                case "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = JsonBody.String(block["text"]) ?? "" });
                    break;
                case "image":
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = SourceUrl(block["source"]) } });
                    break;
                case "document":
                    parts.Add(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["file_data"] = SourceUrl(block["source"]) } });
                    break;
            }
        }
        if (parts.Count > 0) messages.Add(new JsonObject { ["role"] = "user", ["content"] = parts });
    }

    private static JsonObject Assistant(JsonNode? content)
    {
        var message = new JsonObject { ["role"] = "assistant" };
        if (JsonBody.String(content) is { } text)
        {
            message["content"] = text;
            return message;
        }
        var textParts = new StringBuilder();
        var calls = new JsonArray();
        foreach (var block in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(block["type"]))
            {
                case "text":
                    textParts.Append(JsonBody.String(block["text"]));
                    break;
                case "tool_use":
                    calls.Add(new JsonObject
                    {
                        ["id"] = JsonBody.String(block["id"]),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = JsonBody.String(block["name"]), ["arguments"] = block["input"]?.ToJsonString() ?? "{}" },
                    });
                    break;
            }
        }
        message["content"] = textParts.Length > 0 ? textParts.ToString() : null;
        if (calls.Count > 0) message["tool_calls"] = calls;
        return message;
    }

    private static string SourceUrl(JsonNode? source) => JsonBody.String(source?["type"]) switch
    {
        "base64" => $"data:{JsonBody.String(source?["media_type"])};base64,{JsonBody.String(source?["data"])}",
        _ => JsonBody.String(source?["url"]) ?? "",
    };
}
