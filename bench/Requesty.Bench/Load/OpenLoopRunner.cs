using System.Diagnostics;

namespace Requesty.Bench.Load;

/// <summary>
/// Constant-rate load: request i is due at start + i / rate, whatever happened to earlier ones, and
/// its latency is measured from that due time. A slow response therefore cannot hold back the
/// next sends and hide its own queueing (no coordinated omission). One dedicated thread schedules;
/// it sleeps in 1 ms steps (no spinning: the 2 cores are needed by the servers) and sends every
/// request that has become due, so the send-time jitter of up to ~1 ms is the same on every path.
/// </summary>
public static class OpenLoopRunner
{
    /// <param name="serverCpu">Total CPU time of the server processes; sampled when measuring starts and after the drain.</param>
    /// <param name="pathCpu">CPU time of the process this path ends in (the simulator, or the router measured), sampled likewise.</param>
    public static async Task<PathFigures> RunAsync(ChatTarget target, int rate, TimeSpan warmup, TimeSpan duration, int maxInFlight,
        Func<TimeSpan> serverCpu, Func<TimeSpan> pathCpu)
    {
        var measured = (int)Math.Ceiling(rate * duration.TotalSeconds);
        var warmupCount = (int)Math.Ceiling(rate * warmup.TotalSeconds);
        var latency = new LatencyRecorder(measured);
        var service = new LatencyRecorder(measured);
        var firstByte = new LatencyRecorder(measured);
        var state = new RunState();
        var intervalTicks = (double)Stopwatch.Frequency / rate;

        long measureStart = 0;
        var cpuAtStart = TimeSpan.Zero;
        var pathCpuAtStart = TimeSpan.Zero;
        var machineAtStart = default(MachineCpu);
        var scheduler = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp();
            measureStart = start + (long)(warmupCount * intervalTicks);
            for (var i = 0; i < warmupCount + measured; i++)
            {
                var due = start + (long)(i * intervalTicks);
                while (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
                var record = i >= warmupCount;
                if (i == warmupCount)
                {
                    cpuAtStart = serverCpu();
                    pathCpuAtStart = pathCpu();
                    machineAtStart = MachineCpu.Sample();
                }
                if (Volatile.Read(ref state.InFlight) >= maxInFlight)
                {
                    if (record) Interlocked.Increment(ref state.Dropped);
                    continue;
                }
                Interlocked.Increment(ref state.InFlight);
                _ = SendOneAsync(target, due, record, latency, service, firstByte, state);
            }
        })
        { IsBackground = true, Name = "open-loop-scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        var lastDue = Stopwatch.GetTimestamp();

        // Bounded drain: the client timeout is 30 s, so in-flight requests end by then.
        for (var i = 0; i < 3500 && Volatile.Read(ref state.InFlight) > 0; i++) await Task.Delay(10);
        var cpu = serverCpu() - cpuAtStart;
        var ownCpu = pathCpu() - pathCpuAtStart;
        var (machineBusy, otherBusy) = MachineCpu.Between(machineAtStart, MachineCpu.Sample(), cpu, Stopwatch.GetElapsedTime(measureStart));
        var completed = latency.Count + state.Errors;
        var measuredSeconds = Math.Max((state.LastEnd - measureStart) / (double)Stopwatch.Frequency,
                                       (lastDue - measureStart) / (double)Stopwatch.Frequency);

        return new PathFigures
        {
            TargetRate = rate,
            AchievedRps = Math.Round(latency.Count / measuredSeconds, 1),
            Requests = latency.Count,
            Errors = state.Errors,
            Dropped = state.Dropped,
            Latency = latency.Summarize(),
            ServiceTime = service.Summarize(),
            FirstByte = firstByte.Summarize(),
            ServerCpuMsPerRequest = completed == 0 ? 0 : Math.Round(cpu.TotalMilliseconds / completed, 4),
            ProcessCpuMsPerRequest = completed == 0 ? 0 : Math.Round(ownCpu.TotalMilliseconds / completed, 4),
            MachineBusyCores = machineBusy,
            OtherWorkCores = otherBusy,
        };
    }

    private static async Task SendOneAsync(ChatTarget target, long due, bool record, LatencyRecorder latency,
        LatencyRecorder service, LatencyRecorder firstByte, RunState state)
    {
        try
        {
            var sentAt = Stopwatch.GetTimestamp();
            var result = await target.SendAsync(CancellationToken.None);
            if (!record) return;
            if (!result.Ok)
            {
                Interlocked.Increment(ref state.Errors);
                return;
            }
            latency.Record(result.EndTimestamp - due);
            service.Record(result.EndTimestamp - sentAt);
            firstByte.Record(result.FirstByteTimestamp - due);
            InterlockedMax(ref state.LastEnd, result.EndTimestamp);
        }
        finally
        {
            Interlocked.Decrement(ref state.InFlight);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private sealed class RunState
    {
        public int InFlight;
        public int Errors;
        public int Dropped;
        public long LastEnd;
    }
}
