using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Generation;

/// <summary>Decides what the simulated model answers: text, JSON, or a tool call, plus the usage numbers.</summary>
public static class AnswerPlanner
{
    public static PlannedAnswer Plan(PromptSummary prompt, SimBehaviour? behaviour, int choiceIndex = 0)
    {
        var thinking = prompt.Thinking ? AnswerText.Thinking(prompt.LastUserText) : null;
        var reasoningTokens = prompt.ReasoningTokens + TokenCounter.Count(thinking);
        var toolCall = ChooseToolCall(prompt, behaviour, choiceIndex);

        string? text = null;
        var finish = FinishKind.Stop;
        if (toolCall is not null)
        {
            finish = FinishKind.ToolCall;
        }
        else
        {
            text = prompt.Format switch
            {
                OutputFormat.JsonSchema => JsonSampleGenerator.Generate(prompt.ResponseSchema)?.ToJsonString(WireJson.Options) ?? "null",
                OutputFormat.JsonObject => new JsonObject
                {
                    ["answer"] = AnswerText.Reply(prompt.Provider, prompt.Model, prompt.LastUserText),
                    ["model"] = prompt.Model,
                }.ToJsonString(WireJson.Options),
                _ => AnswerText.Reply(prompt.Provider, prompt.Model, prompt.LastUserText)
                    + (choiceIndex > 0 ? $" (choice {choiceIndex + 1})" : ""),
            };
            // Truncating JSON would make it unparsable; only plain text honours the output limit.
            if (prompt.Format == OutputFormat.Text && prompt.MaxOutputTokens is { } max && TokenCounter.Count(text) > max)
            {
                text = TokenCounter.Truncate(text, max);
                finish = FinishKind.Length;
            }
        }

        var visibleTokens = TokenCounter.Count(text ?? toolCall?.ArgumentsJson);
        return new PlannedAnswer
        {
            Text = text,
            ToolCall = toolCall,
            ThinkingText = thinking,
            Finish = finish,
            InputTokens = behaviour?.InputTokens ?? Math.Max(1, TokenCounter.Count(prompt.InputText)),
            OutputTokens = behaviour?.OutputTokens ?? Math.Max(1, visibleTokens + reasoningTokens),
            ReasoningTokens = reasoningTokens,
            CachedTokensOverride = behaviour?.CachedTokens,
        };
    }

    private static PlannedToolCall? ChooseToolCall(PromptSummary prompt, SimBehaviour? behaviour, int choiceIndex)
    {
        if (prompt.ToolChoice == ToolChoiceMode.None) return null;
        ToolDefinition? tool = prompt.ToolChoice switch
        {
            ToolChoiceMode.Named => prompt.Tools.FirstOrDefault(t => t.Name == prompt.ForcedToolName)
                ?? new ToolDefinition(prompt.ForcedToolName ?? "tool", null),
            ToolChoiceMode.Required => MentionedTool(prompt) ?? prompt.Tools.FirstOrDefault(),
            _ when prompt.Tools.Count == 0 => null,
            _ when behaviour?.ToolCall == true => MentionedTool(prompt) ?? prompt.Tools[0],
            _ when prompt.LastTurnIsToolResult => null,
            _ => MentionedTool(prompt) ?? (AsksForATool(prompt.LastUserText) ? prompt.Tools[0] : null),
        };
        if (tool is null) return null;
        var id = Ids.New("") + (choiceIndex > 0 ? $"_{choiceIndex}" : "");
        return new PlannedToolCall(id, tool.Name, JsonSampleGenerator.GenerateObject(tool.ParametersSchema));
    }

    private static ToolDefinition? MentionedTool(PromptSummary prompt) =>
        prompt.Tools.FirstOrDefault(t => t.Name.Length > 0 && prompt.LastUserText.Contains(t.Name, StringComparison.OrdinalIgnoreCase));

    private static bool AsksForATool(string text) =>
        text.Contains("tool", StringComparison.OrdinalIgnoreCase) || text.Contains("function", StringComparison.OrdinalIgnoreCase);
}
