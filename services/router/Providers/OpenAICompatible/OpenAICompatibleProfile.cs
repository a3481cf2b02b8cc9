namespace Requesty.Router.Providers.OpenAICompatible;

/// <summary>
/// A provider that speaks OpenAI's chat completions API, and the few ways it differs from OpenAI.
/// </summary>
/// <param name="Name">The catalogue's provider name (the prefix of "name/model").</param>
/// <param name="RealBaseUrl">The public API's base URL; null for providers added by configuration (they give Providers:{Name}:BaseUrl).</param>
/// <param name="SendsStreamOptions">Whether the API accepts stream_options.include_usage (others always end a stream with usage, or reject unknown fields).</param>
/// <param name="UsesMaxTokens">The API knows max_tokens but not max_completion_tokens.</param>
/// <param name="ReasoningOutsideCompletion">completion_tokens excludes the reasoning tokens, which are billed as output too.</param>
public sealed record OpenAICompatibleProfile(
    string Name,
    string? RealBaseUrl,
    bool SendsStreamOptions = true,
    bool UsesMaxTokens = false,
    bool ReasoningOutsideCompletion = false)
{
    /// <summary>Configuration value of Providers:{name}:Format that adds a provider speaking OpenAI's API.</summary>
    public const string OpenAIFormat = "openai";

    /// <summary>Provider names with their own implementation; configuration cannot turn them into OpenAI-compatible ones.</summary>
    private static readonly HashSet<string> Reserved = ["openai", "anthropic", "google", "azure", "bedrock", "vertex"];

    public static IReadOnlyList<OpenAICompatibleProfile> BuiltIn { get; } =
    [
        // Mistral rejects fields it does not know and always reports usage in the last chunk.
        new("mistral", "https://api.mistral.ai/v1/", SendsStreamOptions: false, UsesMaxTokens: true),
        new("xai", "https://api.x.ai/v1/", ReasoningOutsideCompletion: true),
        new("deepseek", "https://api.deepseek.com/v1/", UsesMaxTokens: true),
        new("groq", "https://api.groq.com/openai/v1/"),
        new("together", "https://api.together.xyz/v1/"),
    ];

    /// <summary>The built-in profiles plus every Providers:{name} section with Format=openai (vLLM, Ollama, OpenRouter...).</summary>
    public static IReadOnlyList<OpenAICompatibleProfile> All(IConfiguration configuration)
    {
        var profiles = BuiltIn.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var section in configuration.GetSection("Providers").GetChildren())
        {
            var name = section.Key.ToLowerInvariant();
            if (Reserved.Contains(name) || profiles.ContainsKey(name)) continue;
            if (!string.Equals(section["Format"], OpenAIFormat, StringComparison.OrdinalIgnoreCase)) continue;
            profiles[name] = new OpenAICompatibleProfile(name, RealBaseUrl: null,
                SendsStreamOptions: !string.Equals(section["StreamOptions"], "false", StringComparison.OrdinalIgnoreCase));
        }
        return [.. profiles.Values];
    }
}
