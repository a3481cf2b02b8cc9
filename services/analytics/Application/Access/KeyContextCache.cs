using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Requesty.Analytics.Infrastructure.Management;
using Requesty.Contracts.Keys;

namespace Requesty.Analytics.Application.Access;

/// <summary>
/// Key contexts by SHA-256 of the key, cached for <see cref="PositiveTtl"/> (unknown keys for
/// <see cref="NegativeTtl"/>, so a key created a moment ago starts working quickly). The key itself is
/// never stored: only its hash is used as the cache key and sent to management.
/// </summary>
public sealed class KeyContextCache(IServiceProvider services, TimeProvider clock)
{
    public static readonly TimeSpan PositiveTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(3);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyContext? Context, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Null when the key is unknown. Throws HttpRequestException when management cannot be asked.</summary>
    public async Task<ApiKeyContext?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now) return entry.Context;

        var client = services.GetRequiredService<ManagementKeysClient>();
        var context = await client.FindAsync(hash, cancellationToken);
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[hash] = (context, now + (context is null ? NegativeTtl : PositiveTtl));
        return context;
    }
}
