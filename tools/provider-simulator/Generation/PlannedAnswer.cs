using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Generation;

public enum FinishKind { Stop, ToolCall, Length }

/// <summary>A tool call; <see cref="Id"/> is a bare suffix each provider prefixes its own way (call_, toolu_).</summary>
public sealed record PlannedToolCall(string Id, string Name, JsonObject Arguments)
{
    public string ArgumentsJson => Arguments.ToJsonString(WireJson.Options);
}

/// <summary>The provider-neutral answer; each provider renders it in its own wire format.</summary>
public sealed class PlannedAnswer
{
    /// <summary>Visible text, or null when the model answers with a tool call only.</summary>
    public string? Text { get; init; }
    public PlannedToolCall? ToolCall { get; init; }
    public string? ThinkingText { get; init; }
    public FinishKind Finish { get; init; }

    public int InputTokens { get; init; }
    /// <summary>All output tokens, reasoning included.</summary>
    public int OutputTokens { get; init; }
    public int ReasoningTokens { get; init; }
    /// <summary>Behaviour override for cached input tokens, if any.</summary>
    public int? CachedTokensOverride { get; init; }
}
