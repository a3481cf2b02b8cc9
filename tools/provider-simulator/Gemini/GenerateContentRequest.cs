using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Gemini;

/// <summary>A generateContent body (camelCase or snake_case fields) read into a <see cref="PromptSummary"/>.</summary>
public static class GenerateContentRequest
{
    public sealed record Options(PromptSummary Summary, int CandidateCount, bool IncludeThoughts);

    public static Options Summarise(JsonObject body, string model)
    {
        var contents = body.Prop("contents").Items().ToList();
        var config = body.Prop("generationConfig", "generation_config");
        var tools = body.Prop("tools").Items()
            .SelectMany(t => t.Prop("functionDeclarations", "function_declarations").Items())
            .Where(f => f.Prop("name").Str() is not null)
            .Select(f => new ToolDefinition(f.Prop("name").Str()!, f.Prop("parametersJsonSchema", "parameters_json_schema") ?? f.Prop("parameters")))
            .ToList();
        var calling = body.Prop("toolConfig", "tool_config").Prop("functionCallingConfig", "function_calling_config");
        var allowed = calling.Prop("allowedFunctionNames", "allowed_function_names").Items().Select(n => n.Str()).OfType<string>().ToList();
        var (mode, forced) = calling.Prop("mode").Str()?.ToUpperInvariant() switch
        {
            "ANY" or "VALIDATED" when allowed.Count == 1 => (ToolChoiceMode.Named, allowed[0]),
            "ANY" => (ToolChoiceMode.Required, (string?)null),
            "NONE" => (ToolChoiceMode.None, null),
            _ => (ToolChoiceMode.Auto, null),
        };
        var schema = config.Prop("responseJsonSchema", "response_json_schema") ?? config.Prop("responseSchema", "response_schema");
        var json = config.Prop("responseMimeType", "response_mime_type").Str() == "application/json";
        var thinkingConfig = config.Prop("thinkingConfig", "thinking_config");
        var thinking = thinkingConfig is JsonObject && thinkingConfig.Prop("thinkingBudget", "thinking_budget").Int() != 0;

        var summary = new PromptSummary
        {
            Provider = ProviderNames.Gemini,
            Model = model,
            InputText = ContentText.Join([
                PartsText(body.Prop("systemInstruction", "system_instruction")),
                .. contents.Select(PartsText),
                body.Prop("tools")?.ToJsonString(WireJson.Options),
            ]),
            LastUserText = PartsText(contents.LastOrDefault(c => c.Prop("role").Str() is null or "user" && PartsText(c).Length > 0)),
            LastTurnIsToolResult = contents.LastOrDefault().Prop("parts").Items().Any(p => p.Prop("functionResponse", "function_response") is not null),
            Tools = tools,
            ToolChoice = mode,
            ForcedToolName = forced,
            Format = schema is not null ? OutputFormat.JsonSchema : json ? OutputFormat.JsonObject : OutputFormat.Text,
            ResponseSchema = schema,
            MaxOutputTokens = config.Prop("maxOutputTokens", "max_output_tokens").Int(),
            Thinking = thinking,
        };
        var includeThoughts = thinking && thinkingConfig.Prop("includeThoughts", "include_thoughts").Bool() == true;
        return new Options(summary, Math.Clamp(config.Prop("candidateCount", "candidate_count").Int() ?? 1, 1, 8), includeThoughts);
    }

    private static string PartsText(JsonNode? content) =>
        ContentText.Join(content.Prop("parts").Items().Select(p => p.Prop("text").Str()));
}
