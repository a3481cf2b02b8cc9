using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Google;

/// <summary>Gemini generateContent response (or stream chunk) -> OpenAI shapes.</summary>
public static class GeminiResponseMapper
{
    public static JsonObject ToOpenAIChat(JsonNode response, string model, DateTimeOffset now, out TokenUsage usage)
    {
        var choices = new JsonArray();
        var candidates = response["candidates"] as JsonArray ?? [];
        foreach (var candidate in candidates.OfType<JsonObject>())
        {
            var (text, thoughts, calls, images) = ReadParts(candidate, firstToolIndex: 0);
            var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 || calls.Count == 0 ? text : null };
            if (thoughts.Length > 0) message["reasoning_content"] = thoughts;
            if (calls.Count > 0) message["tool_calls"] = calls;
            if (images.Count > 0) message["images"] = images;
            choices.Add(new JsonObject
            {
                ["index"] = candidate["index"] is JsonValue i && i.TryGetValue<int>(out var index) ? index : choices.Count,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = calls.Count > 0 ? "tool_calls" : FinishReason(JsonBody.String(candidate["finishReason"])),
            });
        }
        usage = ReadUsage(response["usageMetadata"]) ?? new TokenUsage();
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + (JsonBody.String(response["responseId"]) ?? Guid.NewGuid().ToString("N")),
            ["object"] = "chat.completion",
            ["created"] = now.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = choices,
            ["usage"] = ToOpenAIUsage(usage),
        };
    }

    /// <summary>
    /// Text, thought text, function calls (as OpenAI tool calls numbered from <paramref name="firstToolIndex"/>) and
    /// generated images (inlineData parts, as OpenAI-style message.images data URLs).
    /// </summary>
    public static (string Text, string Thoughts, JsonArray ToolCalls, JsonArray Images) ReadParts(JsonNode candidate, int firstToolIndex)
    {
        var text = "";
        var thoughts = "";
        var calls = new JsonArray();
        var images = new JsonArray();
        foreach (var part in (candidate["content"]?["parts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (part["functionCall"] is JsonObject call)
            {
                calls.Add(new JsonObject
                {
                    ["index"] = firstToolIndex + calls.Count,
                    ["id"] = JsonBody.String(call["id"]) ?? "call_" + Guid.NewGuid().ToString("N")[..24],
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = JsonBody.String(call["name"]),
                        ["arguments"] = call["args"]?.ToJsonString() ?? "{}",
                    },
                });
            }
            else if (GeneratedImage(part) is { } image)
            {
                images.Add(image);
            }
            else if (JsonBody.String(part["text"]) is { } piece)
            {
                if (JsonBody.Bool(part["thought"])) thoughts += piece;
                else text += piece;
            }
        }
        return (text, thoughts, calls, images);
    }

    /// <summary>An inlineData part (not a thought) as {"type":"image_url","image_url":{"url":"data:&lt;mime&gt;;base64,..."}}.</summary>
    private static JsonObject? GeneratedImage(JsonObject part)
    {
        if ((part["inlineData"] ?? part["inline_data"]) is not JsonObject inline || JsonBody.Bool(part["thought"])) return null;
        if (JsonBody.String(inline["data"]) is not { Length: > 0 } data) return null;
        var mime = JsonBody.String(inline["mimeType"] ?? inline["mime_type"]) ?? "image/png";
        return new JsonObject
        {
            ["type"] = "image_url",
            ["image_url"] = new JsonObject { ["url"] = $"data:{mime};base64,{data}" },
        };
    }

    /// <summary>
    /// Gemini counts cached tokens inside promptTokenCount and thinking tokens apart from the
    /// candidates; thinking is billed as output.
    /// </summary>
    public static TokenUsage? ReadUsage(JsonNode? metadata)
    {
        if (metadata is not JsonObject m) return null;
        var prompt = Long(m["promptTokenCount"]);
        var cached = Long(m["cachedContentTokenCount"]);
        var thoughts = Long(m["thoughtsTokenCount"]);
        return new TokenUsage
        {
            InputTokens = Math.Max(0, prompt - cached),
            CacheReadTokens = cached,
            OutputTokens = Long(m["candidatesTokenCount"]) + thoughts,
            ReasoningTokens = thoughts,
        };
    }

    public static JsonObject ToOpenAIUsage(TokenUsage usage)
    {
        var prompt = usage.InputTokens + usage.CacheReadTokens;
        return new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = usage.OutputTokens,
            ["total_tokens"] = prompt + usage.OutputTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens },
            ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
        };
    }

    public static string FinishReason(string? reason) => reason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" => "content_filter",
        _ => "stop",
    };

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
