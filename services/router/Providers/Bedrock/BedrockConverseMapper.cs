using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>OpenAI chat requests -> Bedrock Converse requests, and Converse answers -> OpenAI chat completions.</summary>
public static class BedrockConverseMapper
{
    public static JsonObject ToConverse(JsonObject chat)
    {
        var converse = new JsonObject();
        var system = new JsonArray();
        var messages = new JsonArray();
        foreach (var message in (chat["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var role = JsonBody.String(message["role"]);
            if (role is "system" or "developer")
            {
                if (Text(message["content"]) is { Length: > 0 } text) system.Add(new JsonObject { ["text"] = text });
                continue;
            }
            var (converseRole, blocks) = role switch
            {
                "assistant" => ("assistant", AssistantBlocks(message)),
                "tool" => ("user", new JsonArray(new JsonObject
                {
                    ["toolResult"] = new JsonObject
                    {
                        ["toolUseId"] = JsonBody.String(message["tool_call_id"]) ?? "",
                        ["content"] = new JsonArray(new JsonObject { ["text"] = Text(message["content"]) ?? "" }),
                    },
                })),
                _ => ("user", UserBlocks(message["content"])),
            };
            // Converse wants user and assistant turns to alternate: consecutive turns of one role merge.
            if (messages.Count > 0 && JsonBody.String(messages[^1]!["role"]) == converseRole)
            {
                var content = (JsonArray)messages[^1]!["content"]!;
                foreach (var block in blocks.ToList()) content.Add(block?.DeepClone());
            }
            else
            {
                messages.Add(new JsonObject { ["role"] = converseRole, ["content"] = blocks });
            }
        }
        converse["messages"] = messages;
        if (system.Count > 0) converse["system"] = system;

        var inference = new JsonObject();
        if ((chat["max_completion_tokens"] ?? chat["max_tokens"]) is JsonValue max) inference["maxTokens"] = max.DeepClone();
        if (chat["temperature"] is JsonValue temperature) inference["temperature"] = temperature.DeepClone();
        if (chat["top_p"] is JsonValue topP) inference["topP"] = topP.DeepClone();
        if (chat["stop"] is { } stop) inference["stopSequences"] = stop is JsonArray ? stop.DeepClone() : new JsonArray(stop.DeepClone());
        if (inference.Count > 0) converse["inferenceConfig"] = inference;

        if (ToolConfig(chat) is { } toolConfig) converse["toolConfig"] = toolConfig;
        return converse;
    }

    public static JsonObject ToOpenAIChat(JsonNode response, string model, DateTimeOffset now, out TokenUsage usage)
    {
        usage = ReadUsage(response["usage"]) ?? new TokenUsage();
        var text = "";
        var reasoning = "";
        var toolCalls = new JsonArray();
        foreach (var block in (response["output"]?["message"]?["content"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(block["text"]) is { } part) text += part;
            if (JsonBody.String(block["reasoningContent"]?["reasoningText"]?["text"]) is { } thought) reasoning += thought;
            if (block["toolUse"] is JsonObject toolUse)
            {
                toolCalls.Add(new JsonObject
                {
                    ["id"] = JsonBody.String(toolUse["toolUseId"]),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = JsonBody.String(toolUse["name"]), ["arguments"] = toolUse["input"]?.ToJsonString() ?? "{}" },
                });
            }
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 || toolCalls.Count == 0 ? text : null };
        if (reasoning.Length > 0) message["reasoning_content"] = reasoning;
        if (toolCalls.Count > 0) message["tool_calls"] = toolCalls;
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = now.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = FinishReason(JsonBody.String(response["stopReason"])) }),
            ["usage"] = ToOpenAIUsage(usage),
        };
    }

    public static TokenUsage? ReadUsage(JsonNode? usage) => usage is JsonObject u
        ? new TokenUsage
        {
            InputTokens = Long(u["inputTokens"]),
            OutputTokens = Long(u["outputTokens"]),
            CacheReadTokens = Long(u["cacheReadInputTokens"]),
            CacheWriteTokens = Long(u["cacheWriteInputTokens"]),
        }
        : null;

    public static JsonObject ToOpenAIUsage(TokenUsage usage) => new()
    {
        ["prompt_tokens"] = usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens,
        ["completion_tokens"] = usage.OutputTokens,
        ["total_tokens"] = usage.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens },
    };

    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "tool_use" => "tool_calls",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "content_filtered" or "guardrail_intervened" => "content_filter",
        _ => "stop",
    };

    private static JsonArray AssistantBlocks(JsonObject message)
    {
        var blocks = new JsonArray();
        if (Text(message["content"]) is { Length: > 0 } text) blocks.Add(new JsonObject { ["text"] = text });
        foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            blocks.Add(new JsonObject
            {
                ["toolUse"] = new JsonObject
                {
                    ["toolUseId"] = JsonBody.String(call["id"]) ?? "",
                    ["name"] = JsonBody.String(call["function"]?["name"]) ?? "",
                    ["input"] = ParseArguments(JsonBody.String(call["function"]?["arguments"])),
                },
            });
        }
        return blocks;
    }

    private static JsonArray UserBlocks(JsonNode? content)
    {
        if (content is not JsonArray parts) return new JsonArray(new JsonObject { ["text"] = Text(content) ?? "" });
        var blocks = new JsonArray();
        foreach (var part in parts.OfType<JsonObject>())
        {
            if (JsonBody.String(part["type"]) == "text") blocks.Add(new JsonObject { ["text"] = JsonBody.String(part["text"]) ?? "" });
            else if (JsonBody.String(part["image_url"]?["url"]) is { } url && DataUrl(url) is var (format, data))
            {
                blocks.Add(new JsonObject { ["image"] = new JsonObject { ["format"] = format, ["source"] = new JsonObject { ["bytes"] = data } } });
            }
        }
        return blocks;
    }

    private static JsonObject? ToolConfig(JsonObject chat)
    {
        if (chat["tools"] is not JsonArray { Count: > 0 } tools || JsonBody.String(chat["tool_choice"]) == "none") return null;
        var specs = new JsonArray();
        foreach (var function in tools.OfType<JsonObject>().Select(t => t["function"]).OfType<JsonObject>())
        {
            var spec = new JsonObject
            {
                ["name"] = JsonBody.String(function["name"]),
                ["inputSchema"] = new JsonObject { ["json"] = function["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object" } },
            };
            if (JsonBody.String(function["description"]) is { } description) spec["description"] = description;
            specs.Add(new JsonObject { ["toolSpec"] = spec });
        }
        var config = new JsonObject { ["tools"] = specs };
        var choice = chat["tool_choice"];
        if (JsonBody.String(choice) == "required") config["toolChoice"] = new JsonObject { ["any"] = new JsonObject() };
        else if (JsonBody.String(choice?["function"]?["name"]) is { } name) config["toolChoice"] = new JsonObject { ["tool"] = new JsonObject { ["name"] = name } };
        return config;
    }

    private static JsonNode ParseArguments(string? arguments)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static (string Format, string Data)? DataUrl(string url)
    {
        // data:image/png;base64,....  (Converse takes bytes only; remote URLs are not fetched)
        if (!url.StartsWith("data:image/", StringComparison.Ordinal)) return null;
        var semicolon = url.IndexOf(';');
        var comma = url.IndexOf(',');
        if (semicolon < 0 || comma < semicolon) return null;
        var format = url["data:image/".Length..semicolon];
        return (format == "jpg" ? "jpeg" : format, url[(comma + 1)..]);
    }

    private static string? Text(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => JsonBody.String(p["text"]))),
        _ => JsonBody.String(content),
    };

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
