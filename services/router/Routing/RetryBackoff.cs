namespace Requesty.Router.Routing;

/// <summary>
/// Delay before retry n (0-based) of the same entry: 500 ms, 1 s, 2 s, then 4 s, each ±10% jitter;
/// the provider's retry-after wins when it is shorter.
/// </summary>
public sealed class RetryBackoff(Func<double> random)
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    public const int MaxDoublings = 3;
    public const double Jitter = 0.10;

    public RetryBackoff() : this(Random.Shared.NextDouble) { }

    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter)
    {
        var nominal = First * Math.Pow(2, Math.Clamp(retry, 0, MaxDoublings));
        var delay = nominal * (1 - Jitter + 2 * Jitter * random());
        return retryAfter is { } hint && hint >= TimeSpan.Zero && hint < delay ? hint : delay;
    }
}
