namespace Requesty.ProviderSimulator.Infrastructure;

/// <summary>Provider-style identifiers; random because real providers never repeat them.</summary>
public static class Ids
{
    public static string New(string prefix, int length = 24) => prefix + Guid.NewGuid().ToString("N")[..Math.Min(length, 32)];

    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
