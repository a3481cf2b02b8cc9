using Requesty.Bench.Load;

namespace Requesty.Bench.Reporting;

/// <summary>One run's figures, saved as JSON under bench/results/ (git-ignored) for later comparison.</summary>
public sealed record BenchResults
{
    public int SchemaVersion { get; init; } = 1;
    public required DateTime StartedAtUtc { get; init; }
    public required string? Commit { get; init; }
    public required bool Dirty { get; init; }
    public required string Machine { get; init; }
    public required int Cores { get; init; }
    public required string Runtime { get; init; }
    /// <summary>Where the router published its events (credentials removed), or "none".</summary>
    public required string Broker { get; init; }
    public required BenchSettings Settings { get; init; }
    /// <summary>The git reference measured in the same run as "baseline", when one was given.</summary>
    public string? BaselineRef { get; init; }
    public string? BaselineCommit { get; init; }
    public List<ScenarioResult> Scenarios { get; init; } = [];
}

public sealed record BenchSettings(int Rate, double WarmupSeconds, double DurationSeconds, double ThroughputSeconds,
    int Concurrency, IReadOnlyList<string> RouterArgs,
    IReadOnlyDictionary<string, string>? RouterEnvironment = null, IReadOnlyDictionary<string, string>? BaselineEnvironment = null,
    string Conversation = "short", string Api = "chat", string? Model = null);

public sealed record ScenarioResult
{
    /// <summary>"chat", "chat-stream", "messages" or "messages-stream".</summary>
    public required string Name { get; init; }
    public required bool Stream { get; init; }
    /// <summary>Size of the body sent to the router (--conversation).</summary>
    public int RequestBytes { get; init; }
    public required PathFigures Direct { get; init; }
    public required PathFigures Router { get; init; }
    public PathFigures? Baseline { get; init; }
    /// <summary>The floor proxy's path (a minimal .NET proxy), when measured.</summary>
    public PathFigures? Floor { get; init; }
    public AddedLatency Added => AddedLatency.Between(Router, Direct);
    public AddedLatency? FloorAdded => Floor is null ? null : AddedLatency.Between(Floor, Direct);
    public AddedLatency? BaselineAdded => Baseline is null ? null : AddedLatency.Between(Baseline, Direct);
}

/// <summary>Router-path percentile minus direct-path percentile at the same rate.</summary>
public sealed record AddedLatency(double P50Ms, double P99Ms, double ServiceP50Ms, double ServiceP99Ms, double FirstByteP50Ms,
    double FirstByteP99Ms, double ServerCpuMsPerRequest)
{
    public static AddedLatency Between(PathFigures router, PathFigures direct) => new(
        Round(router.Latency.P50Ms - direct.Latency.P50Ms),
        Round(router.Latency.P99Ms - direct.Latency.P99Ms),
        Round(router.ServiceTime.P50Ms - direct.ServiceTime.P50Ms),
        Round(router.ServiceTime.P99Ms - direct.ServiceTime.P99Ms),
        Round(router.FirstByte.P50Ms - direct.FirstByte.P50Ms),
        Round(router.FirstByte.P99Ms - direct.FirstByte.P99Ms),
        Round(router.ServerCpuMsPerRequest - direct.ServerCpuMsPerRequest));

    private static double Round(double value) => Math.Round(value, 3);
}
