using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>OpenAI chat completion request -> Anthropic Messages request.</summary>
public static class AnthropicRequestMapper
{
    /// <summary>Anthropic requires max_tokens; this is used when the client gives none.</summary>
    public const int DefaultMaxTokens = 4096;

    /// <param name="structuredOutputs">Whether the target takes Anthropic's output_config.format (the Claude API does; Vertex is sent the schema as an instruction).</param>
    public static JsonObject FromOpenAIChat(JsonObject chat, string upstreamModel, bool structuredOutputs = false)
    {
        var result = new JsonObject { ["model"] = upstreamModel };
        var system = new JsonArray();
        var messages = new JsonArray();
        foreach (var message in (chat["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var role = JsonBody.String(message["role"]);
            if (role is "system" or "developer")
            {
                foreach (var block in ContentBlocks(message["content"])) system.Add(block);
                continue;
            }
            var (anthropicRole, blocks) = role switch
            {
                "assistant" => ("assistant", AssistantBlocks(message)),
                "tool" or "function" => ("user", [ToolResult(message)]),
                _ => ("user", ContentBlocks(message["content"])),
            };
            Append(messages, anthropicRole, blocks);
        }

        var outputConfig = structuredOutputs ? AnthropicStructuredOutput.OutputConfig(chat["response_format"]) : null;
        if (outputConfig is not null) result["output_config"] = outputConfig;
        else if (ResponseFormatInstruction(chat["response_format"]) is { } instruction)
            system.Add(new JsonObject { ["type"] = "text", ["text"] = instruction });
        if (system.Count > 0) result["system"] = system;
        result["messages"] = messages;

        var maxTokens = Int(chat["max_completion_tokens"]) ?? Int(chat["max_tokens"]) ?? DefaultMaxTokens;
        if (ThinkingBudget(JsonBody.String(chat["reasoning_effort"])) is { } budget)
        {
            result["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = budget };
            maxTokens = Math.Max(maxTokens, budget + 1024);
        }
        else
        {
            // OpenAI's temperature goes to 2, Anthropic's to 1; thinking allows no temperature at all.
            if (chat["temperature"] is JsonValue t && t.TryGetValue<double>(out var temperature)) result["temperature"] = Math.Min(temperature, 1.0);
            if (chat["top_p"] is JsonValue p && p.TryGetValue<double>(out var topP)) result["top_p"] = topP;
        }
        result["max_tokens"] = maxTokens;

        switch (chat["stop"])
        {
            case JsonValue stop when stop.TryGetValue<string>(out var single): result["stop_sequences"] = new JsonArray(single); break;
            case JsonArray stops: result["stop_sequences"] = stops.DeepClone(); break;
        }
        if (JsonBody.Bool(chat["stream"])) result["stream"] = true;
        if (JsonBody.String(chat["user"]) is { } user) result["metadata"] = new JsonObject { ["user_id"] = user };

        var tools = Tools(chat);
        if (tools.Count > 0)
        {
            result["tools"] = tools;
            if (ToolChoice(chat) is { } choice) result["tool_choice"] = choice;
        }
        return result;
    }

    private static void Append(JsonArray messages, string role, List<JsonNode> blocks)
    {
        if (blocks.Count == 0) return;
        // Anthropic wants user and assistant turns to alternate: merge neighbours of the same role.
        if (messages.Count > 0 && messages[^1] is JsonObject last && JsonBody.String(last["role"]) == role && last["content"] is JsonArray content)
        {
            foreach (var block in blocks) content.Add(block);
            return;
        }
        messages.Add(new JsonObject { ["role"] = role, ["content"] = new JsonArray([.. blocks]) });
    }

    private static List<JsonNode> ContentBlocks(JsonNode? content)
    {
        var blocks = new List<JsonNode>();
        if (JsonBody.String(content) is { } text)
        {
            if (text.Length > 0) blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            return blocks;
        }
        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            JsonObject? block = JsonBody.String(part["type"]) switch
            {
                "text" => new JsonObject { ["type"] = "text", ["text"] = JsonBody.String(part["text"]) ?? "" },
                "image_url" => ImageBlock(part["image_url"]),
                "file" or "input_file" => DocumentBlock(part["file"] ?? part),
                _ => null,
            };
            if (block is null) continue;
            if (part["cache_control"] is JsonObject cache) block["cache_control"] = cache.DeepClone();
            blocks.Add(block);
        }
        return blocks;
    }

    private static JsonObject? ImageBlock(JsonNode? imageUrl)
    {
        var url = JsonBody.String(imageUrl is JsonObject o ? o["url"] : imageUrl);
        if (url is null) return null;
        return new JsonObject { ["type"] = "image", ["source"] = Source(url, JsonBody.String(imageUrl?["mime_type"])) };
    }

    private static JsonObject? DocumentBlock(JsonNode? file)
    {
        var data = JsonBody.String(file?["file_data"]) ?? JsonBody.String(file?["url"]) ?? JsonBody.String(file?["file_url"]);
        return data is null ? null : new JsonObject { ["type"] = "document", ["source"] = Source(data, "application/pdf") };
    }

    /// <summary>A data URL becomes inline base64; anything else is fetched by Anthropic from its URL.</summary>
    private static JsonObject Source(string url, string? mediaType)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal) && url.IndexOf(";base64,", StringComparison.Ordinal) is var marker and > 5)
        {
            return new JsonObject
            {
                ["type"] = "base64",
                ["media_type"] = url[5..marker],
                ["data"] = url[(marker + ";base64,".Length)..],
            };
        }
        var source = new JsonObject { ["type"] = "url", ["url"] = url };
        return source;
    }

    private static List<JsonNode> AssistantBlocks(JsonObject message)
    {
        // Signed thinking goes back first, as Anthropic requires when thinking is on and the turn called tools.
        var blocks = ThinkingBlocks(message["thinking_blocks"], JsonBody.String(message["reasoning_content"]));
        blocks.AddRange(ContentBlocks(message["content"]));
        foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = JsonBody.String(call["id"]) ?? $"toolu_{Guid.NewGuid():N}",
                ["name"] = JsonBody.String(call["function"]?["name"]) ?? "",
                ["input"] = ParseArguments(JsonBody.String(call["function"]?["arguments"])),
            });
        }
        if (message["function_call"] is JsonObject legacy)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = "toolu_" + JsonBody.String(legacy["name"]),
                ["name"] = JsonBody.String(legacy["name"]) ?? "",
                ["input"] = ParseArguments(JsonBody.String(legacy["arguments"])),
            });
        }
        return blocks;
    }

    /// <summary>
    /// thinking_blocks as our answers carry them (whole, or streamed as a text-less block with the signature): a thinking
    /// block needs its signature, so the streamed form takes its text from reasoning_content.
    /// </summary>
    private static List<JsonNode> ThinkingBlocks(JsonNode? thinkingBlocks, string? reasoningContent)
    {
        var blocks = new List<JsonNode>();
        foreach (var block in (thinkingBlocks as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(block["type"]))
            {
                case "thinking" when JsonBody.String(block["signature"]) is { Length: > 0 } signature:
                    blocks.Add(new JsonObject
                    {
                        ["type"] = "thinking",
                        ["thinking"] = JsonBody.String(block["thinking"]) is { Length: > 0 } text ? text : reasoningContent ?? "",
                        ["signature"] = signature,
                    });
                    break;
                case "redacted_thinking" when JsonBody.String(block["data"]) is { } data:
                    blocks.Add(new JsonObject { ["type"] = "redacted_thinking", ["data"] = data });
                    break;
            }
        }
        return blocks;
    }

    private static JsonObject ToolResult(JsonObject message)
    {
        var id = JsonBody.String(message["tool_call_id"]) ?? "toolu_" + JsonBody.String(message["name"]);
        var content = message["content"] is JsonArray parts ? (JsonNode)new JsonArray([.. ContentBlocks(parts)]) : JsonBody.String(message["content"]) ?? "";
        return new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id, ["content"] = content };
    }

    private static JsonNode ParseArguments(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments)) return new JsonObject();
        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static JsonArray Tools(JsonObject chat)
    {
        var tools = new JsonArray();
        foreach (var tool in (chat["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (tool["function"] is JsonObject function) tools.Add(Tool(function));
        }
        foreach (var function in (chat["functions"] as JsonArray ?? []).OfType<JsonObject>()) tools.Add(Tool(function));
        return tools;
    }

    private static JsonObject Tool(JsonObject function)
    {
        var tool = new JsonObject
        {
            ["name"] = JsonBody.String(function["name"]) ?? "",
            ["input_schema"] = function["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
        };
        if (JsonBody.String(function["description"]) is { } description) tool["description"] = description;
        return tool;
    }

    private static JsonObject? ToolChoice(JsonObject chat)
    {
        var choice = chat["tool_choice"] ?? chat["function_call"];
        JsonObject? result = JsonBody.String(choice) switch
        {
            "none" => new JsonObject { ["type"] = "none" },
            "auto" => new JsonObject { ["type"] = "auto" },
            "required" or "any" => new JsonObject { ["type"] = "any" },
            _ => null,
        };
        if (choice is JsonObject named && (JsonBody.String(named["function"]?["name"]) ?? JsonBody.String(named["name"])) is { } name)
            result = new JsonObject { ["type"] = "tool", ["name"] = name };
        if (chat["parallel_tool_calls"] is JsonValue parallel && parallel.TryGetValue<bool>(out var allowed) && !allowed)
        {
            result ??= new JsonObject { ["type"] = "auto" };
            result["disable_parallel_tool_use"] = true;
        }
        return result;
    }

    private static string? ResponseFormatInstruction(JsonNode? format) => JsonBody.String(format?["type"]) switch
    {
        "json_object" => "Respond with a single valid JSON object and nothing else.",
        "json_schema" => "Respond with a single valid JSON value that conforms to this JSON schema, and nothing else: "
                         + (format?["json_schema"]?["schema"]?.ToJsonString() ?? "{}"),
        _ => null,
    };

    private static int? ThinkingBudget(string? effort) => effort switch
    {
        "minimal" or "low" => 1024,
        "medium" => 4096,
        "high" => 16384,
        _ => null,
    };

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
