using System.Text;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Anthropic;

/// <summary>A /v1/messages body read into a <see cref="PromptSummary"/>, plus the text up to the last cache_control breakpoint.</summary>
public sealed record MessagesPrompt(PromptSummary Summary, string CacheablePrefix);

public static class MessagesRequest
{
    public static MessagesPrompt Summarise(JsonObject body, string model)
    {
        var messages = body.Prop("messages").Items().ToList();
        var tools = body.Prop("tools").Items()
            .Where(t => t.Prop("name").Str() is not null && t.Prop("type").Str() is null or "custom")
            .Select(t => new ToolDefinition(t.Prop("name").Str()!, t.Prop("input_schema")))
            .ToList();
        var choice = body.Prop("tool_choice");
        var (mode, forced) = choice.Prop("type").Str() switch
        {
            "any" => (ToolChoiceMode.Required, (string?)null),
            "tool" => (ToolChoiceMode.Named, choice.Prop("name").Str()),
            "none" => (ToolChoiceMode.None, null),
            _ => (ToolChoiceMode.Auto, null),
        };
        var format = body.Prop("output_format") ?? body.Prop("output_config").Prop("format");
        var thinking = body.Prop("thinking").Prop("type").Str() is "enabled" or "adaptive";
        var lastMessage = messages.LastOrDefault();
        var (inputText, cacheablePrefix) = InputText(body, messages);

        var summary = new PromptSummary
        {
            Provider = ProviderNames.Anthropic,
            Model = model,
            InputText = inputText,
            LastUserText = UserText(messages.LastOrDefault(m => m.Prop("role").Str() == "user" && UserText(m).Length > 0)),
            LastTurnIsToolResult = lastMessage.Prop("content").Items().Any(b => b.Prop("type").Str() == "tool_result"),
            Tools = tools,
            ToolChoice = mode,
            ForcedToolName = forced,
            Format = format.Prop("type").Str() == "json_schema" ? OutputFormat.JsonSchema
                : AsksForJson(body.Prop("system")) ? OutputFormat.JsonObject
                : OutputFormat.Text,
            ResponseSchema = format.Prop("schema"),
            MaxOutputTokens = body.Prop("max_tokens").Int(),
            Thinking = thinking,
        };
        return new MessagesPrompt(summary, cacheablePrefix);
    }

    /// <summary>
    /// Anthropic has no JSON mode: callers ask in the system prompt. Like an instruction-following model, a system
    /// prompt that asks for "valid JSON" gets a JSON object answer.
    /// </summary>
    private static bool AsksForJson(JsonNode? system)
    {
        var text = system.Str() ?? ContentText.Join(system.Items().Select(b => b.Prop("text").Str()));
        return text.Contains("valid JSON", StringComparison.Ordinal);
    }

    private static string UserText(JsonNode? message)
    {
        var content = message.Prop("content");
        if (content.Str() is { } text) return text;
        return ContentText.Join(content.Items().Where(b => b.Prop("type").Str() == "text").Select(b => b.Prop("text").Str()));
    }

    /// <summary>All input in cache order (tools, system, messages) and the part of it up to the last cache_control block.</summary>
    private static (string All, string CacheablePrefix) InputText(JsonObject body, List<JsonNode?> messages)
    {
        var text = new StringBuilder();
        var prefixLength = 0;
        void Add(string? piece, JsonNode? block)
        {
            if (!string.IsNullOrEmpty(piece)) text.Append(piece).Append('\n');
            if (block.Prop("cache_control") is JsonObject) prefixLength = text.Length;
        }

        foreach (var tool in body.Prop("tools").Items()) Add(tool?.ToJsonString(WireJson.Options), tool);
        var system = body.Prop("system");
        if (system.Str() is { } systemText) Add(systemText, null);
        foreach (var block in system.Items()) Add(block.Prop("text").Str(), block);
        foreach (var message in messages)
        {
            var content = message.Prop("content");
            if (content.Str() is { } plain) Add(plain, null);
            foreach (var block in content.Items())
                Add(block.Prop("text").Str() ?? block.Prop("thinking").Str() ?? block.Prop("input")?.ToJsonString(WireJson.Options) ?? ContentText.Of(block.Prop("content")), block);
        }
        if (body.Prop("cache_control") is JsonObject) prefixLength = text.Length; // top-level automatic caching
        var all = text.ToString();
        return (all, all[..prefixLength]);
    }
}
