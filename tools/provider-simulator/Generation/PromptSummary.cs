using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Generation;

public sealed record ToolDefinition(string Name, JsonNode? ParametersSchema);

public enum ToolChoiceMode { Auto, None, Required, Named }

public enum OutputFormat { Text, JsonObject, JsonSchema }

/// <summary>What every provider request boils down to for answering it (the provider mappers fill it).</summary>
public sealed class PromptSummary
{
    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>All text that counts as input (system, messages, tool definitions).</summary>
    public string InputText { get; init; } = "";

    public string LastUserText { get; init; } = "";

    /// <summary>The last turn hands back a tool result: an unforced model answers in text then.</summary>
    public bool LastTurnIsToolResult { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public ToolChoiceMode ToolChoice { get; init; }
    public string? ForcedToolName { get; init; }

    public OutputFormat Format { get; init; }
    public JsonNode? ResponseSchema { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>Hidden reasoning tokens to report (OpenAI reasoning_effort); 0 = no reasoning.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Visible thinking (Anthropic thinking blocks, Gemini thoughts) is produced when true.</summary>
    public bool Thinking { get; init; }
}
