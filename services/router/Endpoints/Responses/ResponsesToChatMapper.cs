using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Endpoints.Responses;

/// <summary>
/// OpenAI Responses request -> OpenAI chat completion request, for models served through a chat
/// provider (openai/, anthropic/, google/). Throws <see cref="InvalidResponsesRequestException"/>
/// for what chat cannot express (server-side state, built-in tools, file ids).
/// </summary>
public static class ResponsesToChatMapper
{
    public static JsonObject ToChat(JsonObject request)
    {
        if (JsonBody.String(request["previous_response_id"]) is not null)
            throw new InvalidResponsesRequestException("previous_response_id",
                "previous_response_id is only supported for openai-responses/ models; this router keeps no response state, so send the whole conversation in 'input'.");

        var messages = new JsonArray();
        if (JsonBody.String(request["instructions"]) is { Length: > 0 } instructions)
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        if (JsonBody.String(request["input"]) is { } text)
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
        else
            AddItems(messages, request["input"] as JsonArray ?? []);

        var chat = new JsonObject { ["messages"] = messages };
        if (request["max_output_tokens"] is JsonValue max) chat["max_completion_tokens"] = max.DeepClone();
        if (request["temperature"] is JsonValue temperature) chat["temperature"] = temperature.DeepClone();
        if (request["top_p"] is JsonValue topP) chat["top_p"] = topP.DeepClone();
        if (request["parallel_tool_calls"] is JsonValue parallel) chat["parallel_tool_calls"] = parallel.DeepClone();
        if ((JsonBody.String(request["user"]) ?? JsonBody.String(request["safety_identifier"])) is { } user) chat["user"] = user;
        if (JsonBody.String(request["reasoning"]?["effort"]) is { } effort) chat["reasoning_effort"] = effort;
        if (ResponseFormat(request["text"]?["format"]) is { } format) chat["response_format"] = format;
        if (JsonBody.Bool(request["stream"])) chat["stream"] = true;

        var tools = Tools(request["tools"]);
        if (tools.Count > 0)
        {
            chat["tools"] = tools;
            if (ToolChoice(request["tool_choice"]) is { } choice) chat["tool_choice"] = choice;
        }
        return chat;
    }

    /// <summary>The function tools a request offers, for the RequestCompleted event.</summary>
    public static IEnumerable<ToolOffered> Offered(JsonObject request) =>
        (request["tools"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(tool => JsonBody.String(tool["type"]) == "function")
            .Select(tool => JsonBody.String(tool["name"]))
            .OfType<string>()
            .Select(name => new ToolOffered { Name = name });

    /// <summary>Role and text of instructions and each message item, for session hashing.</summary>
    public static List<(string Role, string Text)> Conversation(JsonObject request)
    {
        var result = new List<(string, string)>();
        if (JsonBody.String(request["instructions"]) is { Length: > 0 } instructions) result.Add(("system", instructions));
        if (JsonBody.String(request["input"]) is { } text) result.Add(("user", text));
        foreach (var item in (request["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ItemType(item) == "message") result.Add((JsonBody.String(item["role"]) ?? "user", Text(item["content"])));
        }
        return result;
    }

    private static string ItemType(JsonObject item) => JsonBody.String(item["type"]) ?? (item["role"] is not null ? "message" : "");

    private static void AddItems(JsonArray messages, JsonArray items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item) throw new InvalidResponsesRequestException($"input[{i}]", "Each input item must be an object.");
            switch (ItemType(item))
            {
                case "message":
                    messages.Add(Message(item, i));
                    break;
                case "function_call":
                    AssistantFor(messages)["tool_calls"]!.AsArray().Add(new JsonObject
                    {
                        ["id"] = JsonBody.String(item["call_id"]) ?? throw new InvalidResponsesRequestException($"input[{i}].call_id", "A function_call item needs a call_id."),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = JsonBody.String(item["name"]) ?? "", ["arguments"] = JsonBody.String(item["arguments"]) ?? "{}" },
                    });
                    break;
                case "function_call_output":
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = JsonBody.String(item["call_id"]) ?? throw new InvalidResponsesRequestException($"input[{i}].call_id", "A function_call_output item needs a call_id."),
                        ["content"] = JsonBody.String(item["output"]) ?? Text(item["output"]),
                    });
                    break;
                case "reasoning":
                    // Reasoning from an earlier turn is provider-specific (often encrypted): nothing to translate.
                    break;
                default:
                    throw new InvalidResponsesRequestException($"input[{i}].type",
                        $"Input items of type '{JsonBody.String(item["type"])}' are not supported for this model; use message, function_call and function_call_output items.");
            }
        }
    }

    /// <summary>The assistant message that function calls join: the previous one when it is an assistant turn.</summary>
    private static JsonObject AssistantFor(JsonArray messages)
    {
        if (messages.Count > 0 && messages[^1] is JsonObject last && JsonBody.String(last["role"]) == "assistant")
        {
            last["tool_calls"] ??= new JsonArray();
            return last;
        }
        var assistant = new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray() };
        messages.Add(assistant);
        return assistant;
    }

    private static JsonObject Message(JsonObject item, int index)
    {
        var role = JsonBody.String(item["role"]) ?? "user";
        if (role is not ("user" or "system" or "developer" or "assistant"))
            throw new InvalidResponsesRequestException($"input[{index}].role", $"Unknown role '{role}'.");
        if (role == "developer") role = "system";
        var content = item["content"];
        if (JsonBody.String(content) is { } text) return new JsonObject { ["role"] = role, ["content"] = text };
        if (content is not JsonArray parts) throw new InvalidResponsesRequestException($"input[{index}].content", "Message content must be a string or an array of parts.");
        if (role is "assistant" or "system") return new JsonObject { ["role"] = role, ["content"] = Text(parts) };

        var chatParts = new JsonArray();
        foreach (var part in parts.OfType<JsonObject>())
            chatParts.Add(Part(part, index));
        return new JsonObject { ["role"] = role, ["content"] = chatParts };
    }

    private static JsonObject Part(JsonObject part, int index) => JsonBody.String(part["type"]) switch
    {
        "input_text" or "output_text" or "text" => new JsonObject { ["type"] = "text", ["text"] = JsonBody.String(part["text"]) ?? "" },
        "input_image" => new JsonObject
        {
            ["type"] = "image_url",
            ["image_url"] = new JsonObject
            {
                ["url"] = JsonBody.String(part["image_url"]) ?? throw new InvalidResponsesRequestException($"input[{index}].content",
                    "input_image needs an image_url (a URL or a data: URL); file_id is not supported for this model."),
                ["detail"] = JsonBody.String(part["detail"]) ?? "auto",
            },
        },
        "input_file" => new JsonObject
        {
            ["type"] = "file",
            ["file"] = FilePart(part) ?? throw new InvalidResponsesRequestException($"input[{index}].content",
                "input_file needs file_data (a data: URL) or file_url; file_id is not supported for this model."),
        },
        var type => throw new InvalidResponsesRequestException($"input[{index}].content", $"Content parts of type '{type}' are not supported."),
    };

    private static JsonObject? FilePart(JsonObject part)
    {
        var file = new JsonObject();
        if (JsonBody.String(part["file_data"]) is { } data) file["file_data"] = data;
        else if (JsonBody.String(part["file_url"]) is { } url) file["file_url"] = url;
        else return null;
        if (JsonBody.String(part["filename"]) is { } name) file["filename"] = name;
        return file;
    }

    /// <summary>A string, or the text of an array of parts joined.</summary>
    private static string Text(JsonNode? content)
    {
        if (JsonBody.String(content) is { } text) return text;
        var joined = new StringBuilder();
        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
            joined.Append(JsonBody.String(part["text"]) ?? JsonBody.String(part["refusal"]));
        return joined.ToString();
    }

    private static JsonArray Tools(JsonNode? tools)
    {
        var result = new JsonArray();
        if (tools is null) return result;
        if (tools is not JsonArray list) throw new InvalidResponsesRequestException("tools", "tools must be an array.");
        for (var i = 0; i < list.Count; i++)
        {
            var tool = list[i] as JsonObject;
            var type = JsonBody.String(tool?["type"]);
            if (type != "function")
                throw new InvalidResponsesRequestException($"tools[{i}].type", $"Only function tools are supported for this model (got '{type}').");
            var function = new JsonObject
            {
                ["name"] = JsonBody.String(tool!["name"]) ?? throw new InvalidResponsesRequestException($"tools[{i}].name", "A function tool needs a name."),
                ["parameters"] = tool["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
            };
            if (JsonBody.String(tool["description"]) is { } description) function["description"] = description;
            if (tool["strict"] is JsonValue strict) function["strict"] = strict.DeepClone();
            result.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }
        return result;
    }

    private static JsonNode? ToolChoice(JsonNode? choice)
    {
        if (JsonBody.String(choice) is { } mode) return mode;
        if (choice is not JsonObject named) return null;
        return JsonBody.String(named["type"]) == "function" && JsonBody.String(named["name"]) is { } name
            ? new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } }
            : null;
    }

    private static JsonObject? ResponseFormat(JsonNode? format)
    {
        switch (JsonBody.String(format?["type"]))
        {
            case "json_object":
                return new JsonObject { ["type"] = "json_object" };
            case "json_schema":
                var schema = new JsonObject
                {
                    ["name"] = JsonBody.String(format!["name"]) ?? "response",
                    ["schema"] = format["schema"]?.DeepClone() ?? new JsonObject(),
                };
                if (format["strict"] is JsonValue strict) schema["strict"] = strict.DeepClone();
                if (JsonBody.String(format["description"]) is { } description) schema["description"] = description;
                return new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
            default:
                return null;
        }
    }
}
