using System.Diagnostics;

namespace Requesty.Bench.Load;

/// <summary>A path the load can go to: where requests are sent, and the CPU time of the process it ends in.</summary>
public sealed record LoadPath(string Name, ChatTarget Target, Func<TimeSpan> OwnCpu);

/// <summary>
/// Constant-rate load: request i is due at start + i / rate, whatever happened to earlier ones, and its latency is
/// measured from that due time, so a slow response cannot hold back the next sends and hide its own queueing (no
/// coordinated omission). One dedicated thread schedules; it sleeps in 1 ms steps (no spinning: the 2 cores are needed
/// by the servers), so the send-time jitter of up to ~1 ms is the same on every path. The load goes to several paths in
/// turn: one round (default 1 s) to the first path, the next round to the second, and so on, through the warm-up and
/// the measured window. Every path then
/// sees the same machine: drift over the run (other work, the broker, the page cache, CPU frequency) lands on all paths
/// alike instead of on whichever was measured at the wrong moment, so "added" compares like with like. CPU time is
/// sampled at every round boundary and counted to the path whose round it was.
/// </summary>
public static class InterleavedOpenLoopRunner
{
    /// <remarks>The server processes whose CPU time is counted are the ones the paths end in (simulator, routers, floor).</remarks>
    public static async Task<IReadOnlyList<PathFigures>> RunAsync(IReadOnlyList<LoadPath> paths, int rate, TimeSpan warmup,
        TimeSpan duration, TimeSpan round, int maxInFlight)
    {
        var perRound = Math.Max(1, (int)Math.Round(rate * round.TotalSeconds));
        var warmupRounds = paths.Count * (int)Math.Ceiling(warmup / round);
        var measuredRounds = paths.Count * Math.Max(1, (int)Math.Ceiling(duration / round));
        var runs = paths.Select((path, index) => new PathRun(path, index, measuredRounds / paths.Count * perRound)).ToArray();
        var intervalTicks = (double)Stopwatch.Frequency / rate;
        var inFlight = new int[1];

        (Sample At, PathRun Run)? open = null;
        var scheduler = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp();
            var total = (warmupRounds + measuredRounds) * perRound;
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * intervalTicks);
                while (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
                var roundIndex = i / perRound;
                var run = runs[roundIndex % runs.Length];
                var record = roundIndex >= warmupRounds;
                if (i % perRound == 0 && record)
                {
                    var now = Sample.Take(runs);
                    if (open is { } previous) previous.Run.Count(previous.At, now);
                    open = (now, run);
                }
                if (Volatile.Read(ref inFlight[0]) >= maxInFlight)
                {
                    if (record) Interlocked.Increment(ref run.Dropped);
                    continue;
                }
                Interlocked.Increment(ref inFlight[0]);
                _ = SendOneAsync(run, due, record, inFlight);
            }
        })
        { IsBackground = true, Name = "interleaved-open-loop-scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);

        // Bounded drain: the client timeout is 30 s, so in-flight requests end by then.
        for (var i = 0; i < 3500 && Volatile.Read(ref inFlight[0]) > 0; i++) await Task.Delay(10);
        if (open is { } last) last.Run.Count(last.At, Sample.Take(runs));
        return [.. runs.Select(run => run.Figures(rate, duration))];
    }

    private static async Task SendOneAsync(PathRun run, long due, bool record, int[] inFlight)
    {
        try
        {
            var sentAt = Stopwatch.GetTimestamp();
            var result = await run.Path.Target.SendAsync(CancellationToken.None);
            if (!record) return;
            if (!result.Ok)
            {
                Interlocked.Increment(ref run.Errors);
                return;
            }
            run.Latency.Record(result.EndTimestamp - due);
            run.ServiceTime.Record(result.EndTimestamp - sentAt);
            run.FirstByte.Record(result.FirstByteTimestamp - due);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight[0]);
        }
    }

    private sealed record Sample(long Timestamp, TimeSpan[] OwnCpu, MachineCpu Machine)
    {
        /// <summary>All server processes: every path ends in a different one.</summary>
        public TimeSpan ServerCpu => OwnCpu.Aggregate(TimeSpan.Zero, (sum, cpu) => sum + cpu);

        public static Sample Take(PathRun[] runs) =>
            new(Stopwatch.GetTimestamp(), [.. runs.Select(run => run.Path.OwnCpu())], MachineCpu.Sample());
    }

    private sealed class PathRun(LoadPath path, int index, int capacity)
    {
        public LoadPath Path { get; } = path;
        public LatencyRecorder Latency { get; } = new(capacity);
        public LatencyRecorder ServiceTime { get; } = new(capacity);
        public LatencyRecorder FirstByte { get; } = new(capacity);
        public int Errors;
        public int Dropped;
        private TimeSpan _serverCpu;
        private TimeSpan _ownCpu;
        private TimeSpan _wall;
        private double _busyCoreSeconds;
        private double _otherCoreSeconds;

        /// <summary>Counts the CPU between two round boundaries to this path (its round ran between them).</summary>
        public void Count(Sample from, Sample to)
        {
            var server = to.ServerCpu - from.ServerCpu;
            var wall = Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp);
            var (busy, other) = MachineCpu.Between(from.Machine, to.Machine, server, wall);
            _serverCpu += server;
            _ownCpu += to.OwnCpu[index] - from.OwnCpu[index];
            _wall += wall;
            _busyCoreSeconds += busy * wall.TotalSeconds;
            _otherCoreSeconds += other * wall.TotalSeconds;
        }

        public PathFigures Figures(int rate, TimeSpan duration)
        {
            var completed = Latency.Count + Errors;
            var seconds = Math.Max(_wall.TotalSeconds, 1e-9);
            return new PathFigures
            {
                TargetRate = rate,
                AchievedRps = Math.Round(Latency.Count / duration.TotalSeconds, 1),
                Requests = Latency.Count,
                Errors = Errors,
                Dropped = Dropped,
                Latency = Latency.Summarize(),
                ServiceTime = ServiceTime.Summarize(),
                FirstByte = FirstByte.Summarize(),
                ServerCpuMsPerRequest = completed == 0 ? 0 : Math.Round(_serverCpu.TotalMilliseconds / completed, 4),
                ProcessCpuMsPerRequest = completed == 0 ? 0 : Math.Round(_ownCpu.TotalMilliseconds / completed, 4),
                MachineBusyCores = Math.Round(_busyCoreSeconds / seconds, 2),
                OtherWorkCores = Math.Round(_otherCoreSeconds / seconds, 2),
            };
        }
    }
}
