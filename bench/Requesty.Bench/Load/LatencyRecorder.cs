using System.Diagnostics;

namespace Requesty.Bench.Load;

/// <summary>
/// Every latency of a measurement window, as raw Stopwatch ticks in a pre-sized array (no allocation
/// and no lock on the recording path); percentiles are exact, by sorting once at the end.
/// </summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;
    private int _overflow;

    public void Record(long ticks)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _ticks.Length) _ticks[slot] = ticks;
        else Interlocked.Increment(ref _overflow);
    }

    public int Count => Math.Min(Volatile.Read(ref _count), _ticks.Length);

    public LatencySummary Summarize()
    {
        var count = Count;
        if (count == 0) return LatencySummary.Empty;
        var sorted = _ticks.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        double total = 0;
        foreach (var t in sorted) total += t;
        return new LatencySummary(
            Count: count,
            MeanMs: ToMs(total / count),
            P50Ms: ToMs(Percentile(sorted, 0.50)),
            P90Ms: ToMs(Percentile(sorted, 0.90)),
            P99Ms: ToMs(Percentile(sorted, 0.99)),
            P999Ms: ToMs(Percentile(sorted, 0.999)),
            MaxMs: ToMs(sorted[^1]));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(double ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 4);
}

public sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0, 0);
}
