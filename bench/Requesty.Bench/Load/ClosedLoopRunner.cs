using System.Diagnostics;

namespace Requesty.Bench.Load;

/// <summary>Maximum throughput: a fixed number of requests always in flight, each sent as soon as the previous one ends.</summary>
public static class ClosedLoopRunner
{
    public static async Task<(double Rps, int Errors)> RunAsync(ChatTarget target, int concurrency, TimeSpan duration)
    {
        // A short unmeasured ramp so connection set-up is not counted.
        await RunWorkersAsync(target, concurrency, TimeSpan.FromSeconds(Math.Min(1, duration.TotalSeconds / 4)));
        var started = Stopwatch.GetTimestamp();
        var (ok, errors) = await RunWorkersAsync(target, concurrency, duration);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (Math.Round(ok / seconds, 1), errors);
    }

    private static async Task<(int Ok, int Errors)> RunWorkersAsync(ChatTarget target, int concurrency, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var ok = 0;
        var errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var result = await target.SendAsync(CancellationToken.None);
                if (result.Ok) Interlocked.Increment(ref ok);
                else Interlocked.Increment(ref errors);
            }
        }));
        await Task.WhenAll(workers);
        return (ok, errors);
    }
}
