namespace Requesty.ServiceDefaults;

/// <summary>How <see cref="ManagementKeyResolver"/> caches and times its lookups; each service sets its own.</summary>
public sealed class ManagementKeyResolverOptions
{
    /// <summary>How long a known key's context is reused.</summary>
    public TimeSpan HitTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long "unknown key" is reused (short, so a key created a moment ago starts working quickly).</summary>
    public TimeSpan MissTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one lookup at management.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cached answers kept at most; when full the cache starts over (bounds memory under random keys).</summary>
    public int MaxCachedKeys { get; set; } = 10_000;
}
