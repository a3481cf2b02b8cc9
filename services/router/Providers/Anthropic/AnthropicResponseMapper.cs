using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>Anthropic Messages response -> OpenAI chat completion.</summary>
public static class AnthropicResponseMapper
{
    public static JsonObject ToOpenAIChat(JsonNode message, string model, DateTimeOffset now, out TokenUsage usage)
    {
        var text = new StringBuilder();
        var thinking = new StringBuilder();
        var toolCalls = new JsonArray();
        var thinkingBlocks = new JsonArray();
        foreach (var block in (message["content"] as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(block["type"]))
            {
                case "text": text.Append(JsonBody.String(block["text"])); break;
                case "thinking":
                    thinking.Append(JsonBody.String(block["thinking"]));
                    thinkingBlocks.Add(block.DeepClone());
                    break;
                case "redacted_thinking": thinkingBlocks.Add(block.DeepClone()); break;
                case "tool_use":
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = JsonBody.String(block["id"]),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = JsonBody.String(block["name"]),
                            ["arguments"] = block["input"]?.ToJsonString() ?? "{}",
                        },
                    });
                    break;
            }
        }

        var assistant = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 || toolCalls.Count == 0 ? text.ToString() : null };
        if (thinking.Length > 0) assistant["reasoning_content"] = thinking.ToString();
        // The signed blocks, as LiteLLM names them: a client sends them back with its tool results so thinking continues.
        if (thinkingBlocks.Count > 0) assistant["thinking_blocks"] = thinkingBlocks;
        if (toolCalls.Count > 0) assistant["tool_calls"] = toolCalls;
        usage = AnthropicUsage.Read(message["usage"]);

        return new JsonObject
        {
            ["id"] = "chatcmpl-" + (JsonBody.String(message["id"]) ?? Guid.NewGuid().ToString("N")),
            ["object"] = "chat.completion",
            ["created"] = now.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = assistant,
                ["logprobs"] = null,
                ["finish_reason"] = FinishReason(JsonBody.String(message["stop_reason"])),
            }),
            ["usage"] = AnthropicUsage.ToOpenAI(usage),
        };
    }

    /// <summary>
    /// For JSON asked for by instruction (json_object, or a schema the model cannot enforce): the answer without the
    /// markdown code fence Claude sometimes puts around it, so the client's JSON parser gets the JSON alone.
    /// </summary>
    public static JsonObject ToOpenAIChatJson(JsonNode message, string model, DateTimeOffset now, out TokenUsage usage)
    {
        var completion = ToOpenAIChat(message, model, now, out usage);
        if (JsonBody.First(completion["choices"])?["message"] is JsonObject assistant && JsonBody.String(assistant["content"]) is { } content)
            assistant["content"] = WithoutCodeFence(content);
        return completion;
    }

    public static string WithoutCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6) return text;
        var firstLineEnd = trimmed.IndexOf('\n');
        return firstLineEnd < 0 ? text : trimmed[(firstLineEnd + 1)..^3].Trim();
    }

    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };
}
