using System.Collections.Concurrent;

namespace Requesty.ProviderSimulator.Vertex;

/// <summary>Access tokens the simulated Google token endpoint issued, with their expiry; Vertex routes accept only these.</summary>
public sealed class VertexTokens(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3599);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new();

    public string Issue()
    {
        var token = "ya29.sim-" + Guid.NewGuid().ToString("N");
        _issued[token] = time.GetUtcNow() + Lifetime;
        return token;
    }

    public bool IsValid(string? token) => token is not null && _issued.TryGetValue(token, out var expires) && expires > time.GetUtcNow();
}
