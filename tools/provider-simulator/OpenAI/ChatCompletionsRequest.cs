using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>Reads a /v1/chat/completions body into the neutral <see cref="PromptSummary"/>.</summary>
public static class ChatCompletionsRequest
{
    public static PromptSummary Summarise(JsonObject body, string model)
    {
        var messages = body.Prop("messages").Items().ToList();
        var tools = body.Prop("tools").Items()
            .Select(t => t.Prop("function"))
            .Where(f => f.Prop("name").Str() is not null)
            .Select(f => new ToolDefinition(f.Prop("name").Str()!, f.Prop("parameters")))
            .ToList();
        var (choice, forced) = ToolChoice(body.Prop("tool_choice"));
        var format = body.Prop("response_format");
        var formatType = format.Prop("type").Str();

        return new PromptSummary
        {
            Provider = ProviderNames.OpenAI,
            Model = model,
            InputText = ContentText.Join(messages.Select(m => ContentText.Of(m.Prop("content")))
                .Append(body.Prop("tools")?.ToJsonString(WireJson.Options))),
            LastUserText = ContentText.Of(messages.LastOrDefault(m => m.Prop("role").Str() == "user").Prop("content")),
            LastTurnIsToolResult = messages.LastOrDefault().Prop("role").Str() is "tool" or "function",
            Tools = tools,
            ToolChoice = choice,
            ForcedToolName = forced,
            Format = formatType switch
            {
                "json_schema" => OutputFormat.JsonSchema,
                "json_object" => OutputFormat.JsonObject,
                _ => OutputFormat.Text,
            },
            ResponseSchema = format.Prop("json_schema").Prop("schema"),
            MaxOutputTokens = body.Prop("max_completion_tokens").Int() ?? body.Prop("max_tokens").Int(),
            ReasoningTokens = OpenAIReasoning.TokensFor(body.Prop("reasoning_effort").Str() ?? body.Prop("reasoning").Prop("effort").Str()),
        };
    }

    /// <summary>"none" | "auto" | "required" | {"type":"function","function":{"name"}}.</summary>
    public static (ToolChoiceMode Mode, string? Name) ToolChoice(JsonNode? choice)
    {
        if (choice.Str() is { } mode)
            return mode switch
            {
                "none" => (ToolChoiceMode.None, null),
                "required" => (ToolChoiceMode.Required, null),
                _ => (ToolChoiceMode.Auto, null),
            };
        var name = choice.Prop("function").Prop("name").Str() ?? choice.Prop("name").Str();
        return name is null ? (ToolChoiceMode.Auto, null) : (ToolChoiceMode.Named, name);
    }
}
