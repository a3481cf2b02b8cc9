namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>Hidden reasoning tokens reported for an effort level (any effort reports some).</summary>
public static class OpenAIReasoning
{
    public static int TokensFor(string? effort) => effort?.ToLowerInvariant() switch
    {
        null or "" => 0,
        "none" or "min" or "minimal" => 8,
        "low" => 32,
        "medium" => 64,
        "high" => 128,
        _ => 256,
    };
}
