using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Requesty.ProviderSimulator.Anthropic;

/// <summary>
/// Remembers which cache_control prefixes were seen, like Anthropic's prompt cache: the first request with a
/// prefix writes it (cache_creation_input_tokens), later ones read it (cache_read_input_tokens).
/// </summary>
public sealed class PromptCacheTracker
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, byte> _seen = new();

    /// <summary>True when the prefix was already cached; records it otherwise.</summary>
    public bool SeenBefore(string model, string prefix)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + prefix)));
        if (_seen.Count >= Capacity) _seen.Clear();
        return !_seen.TryAdd(key, 0);
    }
}
