namespace Requesty.ProviderSimulator.Generation;

/// <summary>Deterministic stand-in for a tokenizer: one token per four characters, rounded up.</summary>
public static class TokenCounter
{
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/>.</summary>
    public static string Truncate(string text, int maxTokens) =>
        Count(text) <= maxTokens ? text : text[..Math.Max(0, maxTokens * 4)];
}
