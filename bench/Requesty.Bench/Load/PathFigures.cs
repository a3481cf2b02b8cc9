namespace Requesty.Bench.Load;

/// <summary>What one path (direct, router, baseline router) measured in one scenario.</summary>
public sealed record PathFigures
{
    public required int TargetRate { get; init; }
    public required double AchievedRps { get; init; }
    public required int Requests { get; init; }
    public required int Errors { get; init; }
    /// <summary>Requests not sent because max-inflight was reached (the path could not keep up).</summary>
    public required int Dropped { get; init; }
    /// <summary>From the request's scheduled send time to the last byte (counts queueing: no coordinated omission).</summary>
    public required LatencySummary Latency { get; init; }
    /// <summary>From the actual send to the last byte.</summary>
    public required LatencySummary ServiceTime { get; init; }
    /// <summary>From the scheduled send time to the first response body byte (the first SSE event for streams).</summary>
    public required LatencySummary FirstByte { get; init; }
    /// <summary>
    /// CPU time of the simulator and router processes during the measured window, per completed request:
    /// unlike latency, hardly affected by other work on a shared machine.
    /// </summary>
    public double ServerCpuMsPerRequest { get; init; }
    /// <summary>
    /// CPU time of the process the path ends in (the simulator for the direct path, the measured router otherwise) per
    /// completed request: the router's own cost, without the simulator's share or the other router's idle work.
    /// </summary>
    public double ProcessCpuMsPerRequest { get; init; }
    /// <summary>Cores busy on average during the measured window (whole machine).</summary>
    public double MachineBusyCores { get; init; }
    /// <summary>Of those, cores busy with work other than the bench and its servers (other builds, tests, the broker).</summary>
    public double OtherWorkCores { get; init; }
    /// <summary>Closed-loop maximum (completed requests per second at the configured concurrency); null when skipped.</summary>
    public double? MaxThroughputRps { get; set; }
    public int? ThroughputErrors { get; set; }
}
