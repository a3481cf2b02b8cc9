using System.Collections.Concurrent;
using Requesty.Contracts.Keys;

namespace Requesty.Router.Keys;

/// <summary>
/// Finds the context of a presented key. The cache answers almost always; a key created a
/// moment ago (its event not yet here) is asked of management once, with concurrent lookups of
/// the same hash sharing one call and unknown hashes remembered briefly so garbage keys cannot
/// flood management.
/// </summary>
public sealed class KeyResolver(KeyCache cache, ManagementKeysClient management, TimeProvider time, ILogger<KeyResolver> logger)
{
    private static readonly TimeSpan UnknownKeyMemory = TimeSpan.FromSeconds(2);
    private const int MaxRememberedUnknown = 10_000;

    private readonly ConcurrentDictionary<string, Lazy<Task<ApiKeyContext?>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknownUntil = new(StringComparer.Ordinal);

    public ValueTask<ApiKeyContext?> ResolveAsync(string keyHash, CancellationToken cancellationToken)
    {
        if (cache.TryGet(keyHash, out var context)) return ValueTask.FromResult<ApiKeyContext?>(context);
        if (_unknownUntil.TryGetValue(keyHash, out var until) && until > time.GetUtcNow()) return ValueTask.FromResult<ApiKeyContext?>(null);
        return new ValueTask<ApiKeyContext?>(AskManagementAsync(keyHash, cancellationToken));
    }

    private async Task<ApiKeyContext?> AskManagementAsync(string keyHash, CancellationToken cancellationToken)
    {
        var lookup = _inFlight.GetOrAdd(keyHash, hash => new Lazy<Task<ApiKeyContext?>>(() => FetchAsync(hash)));
        try
        {
            return await lookup.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<ApiKeyContext?>>>(keyHash, lookup));
        }
    }

    private async Task<ApiKeyContext?> FetchAsync(string keyHash)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var context = await management.FindAsync(keyHash, timeout.Token);
            if (context is null)
            {
                if (_unknownUntil.Count > MaxRememberedUnknown) _unknownUntil.Clear();
                _unknownUntil[keyHash] = time.GetUtcNow() + UnknownKeyMemory;
                return null;
            }
            cache.Upsert(context);
            return cache.TryGet(keyHash, out var cached) ? cached : null;
        }
        catch (Exception ex)
        {
            logger.LogWarning("Key lookup in management failed: {Message}", ex.Message);
            return null;
        }
    }
}
