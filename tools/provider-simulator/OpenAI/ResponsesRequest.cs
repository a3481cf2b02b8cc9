using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>Reads a /v1/responses body (string or item input, flat tools, text.format) into a <see cref="PromptSummary"/>.</summary>
public static class ResponsesRequest
{
    public static PromptSummary Summarise(JsonObject body, string model)
    {
        var input = body.Prop("input");
        var items = input is JsonArray array ? array.ToList() : [];
        var userTexts = input.Str() is { } single
            ? [single]
            : items.Where(i => i.Prop("role").Str() == "user").Select(i => ContentText.Of(i.Prop("content"))).ToList();
        var tools = body.Prop("tools").Items()
            .Where(t => t.Prop("name").Str() is not null)
            .Select(t => new ToolDefinition(t.Prop("name").Str()!, t.Prop("parameters")))
            .ToList();
        var (choice, forced) = ChatCompletionsRequest.ToolChoice(body.Prop("tool_choice"));
        var format = body.Prop("text").Prop("format");

        return new PromptSummary
        {
            Provider = ProviderNames.OpenAI,
            Model = model,
            InputText = ContentText.Join([
                body.Prop("instructions").Str(),
                input.Str(),
                .. items.Select(i => ContentText.Of(i.Prop("content")) + (i.Prop("output").Str() ?? "") + (i.Prop("arguments").Str() ?? "")),
                body.Prop("tools")?.ToJsonString(WireJson.Options),
            ]),
            LastUserText = userTexts.LastOrDefault() ?? "",
            LastTurnIsToolResult = items.LastOrDefault().Prop("type").Str() == "function_call_output",
            Tools = tools,
            ToolChoice = choice,
            ForcedToolName = forced,
            Format = format.Prop("type").Str() switch
            {
                "json_schema" => OutputFormat.JsonSchema,
                "json_object" => OutputFormat.JsonObject,
                _ => OutputFormat.Text,
            },
            ResponseSchema = format.Prop("schema"),
            MaxOutputTokens = body.Prop("max_output_tokens").Int(),
            ReasoningTokens = OpenAIReasoning.TokensFor(body.Prop("reasoning").Prop("effort").Str()),
        };
    }
}
