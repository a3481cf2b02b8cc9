using System.Globalization;
using System.Text;
using Requesty.Bench.Load;

namespace Requesty.Bench.Reporting;

/// <summary>The tables printed at the end of a run.</summary>
public static class Report
{
    /// <summary>Targets from the issue, for a 2-core machine at 2k rps.</summary>
    public const double TargetAddedP50Ms = 0.2;
    public const double TargetAddedP99Ms = 1.0;

    public static string Scenario(ScenarioResult scenario, string? baselineLabel, string? model = null)
    {
        var text = new StringBuilder();
        var api = (scenario.Name.StartsWith("messages", StringComparison.Ordinal) ? "Anthropic messages" : "chat completions")
            + (model is null ? "" : $" to {model}");
        var title = (scenario.Stream ? "streaming " : "non-streaming ") + api;
        text.AppendLine(Invariant($"== {title} @ {scenario.Direct.TargetRate} rps, {scenario.RequestBytes:N0}-byte requests (latency from the scheduled send; ms) =="));
        if (baselineLabel is not null) text.AppendLine($"baseline = the router built from {baselineLabel}");
        text.AppendLine(Invariant($"{"path",-20} {"rps",8} {"err",5} {"drop",5} {"p50",8} {"p90",8} {"p99",8} {"p99.9",8} {"max",8} {"ttfb p50",9} {"ttfb p99",9} {"max rps",9} {"cpu ms/req",10} {"own cpu",8} {"other work",10}"));
        Row(text, "direct (simulator)", scenario.Direct, scenario.Stream);
        Row(text, "router", scenario.Router, scenario.Stream);
        if (scenario.Baseline is not null) Row(text, "router (baseline)", scenario.Baseline, scenario.Stream);
        if (scenario.Floor is not null) Row(text, "floor proxy", scenario.Floor, scenario.Stream);
        Added(text, "added (router)", scenario.Added, scenario.Stream);
        if (scenario.BaselineAdded is not null) Added(text, "added (baseline)", scenario.BaselineAdded, scenario.Stream);
        if (scenario.FloorAdded is not null) Added(text, "added (floor)", scenario.FloorAdded, scenario.Stream);
        return text.ToString();
    }

    /// <summary>Current run vs a saved results file, scenario by scenario.</summary>
    public static string Comparison(BenchResults baseline, BenchResults current, string baselinePath)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"== compared with {Path.GetFileName(baselinePath)} (commit {Short(baseline.Commit)}{(baseline.Dirty ? "+dirty" : "")}, {baseline.StartedAtUtc:yyyy-MM-dd HH:mm}Z, {baseline.Settings.Rate} rps) =="));
        text.AppendLine(Invariant($"{"scenario / metric (ms, rps)",-34} {"baseline",10} {"current",10} {"delta",10}"));
        foreach (var now in current.Scenarios)
        {
            var then = baseline.Scenarios.FirstOrDefault(s => s.Name == now.Name);
            if (then is null) continue;
            Compare(text, now.Name, "added p50", then.Added.P50Ms, now.Added.P50Ms);
            Compare(text, now.Name, "added p99", then.Added.P99Ms, now.Added.P99Ms);
            if (now.Stream)
            {
                Compare(text, now.Name, "added ttfb p50", then.Added.FirstByteP50Ms, now.Added.FirstByteP50Ms);
                Compare(text, now.Name, "added ttfb p99", then.Added.FirstByteP99Ms, now.Added.FirstByteP99Ms);
            }
            Compare(text, now.Name, "added cpu ms/req", then.Added.ServerCpuMsPerRequest, now.Added.ServerCpuMsPerRequest);
            Compare(text, now.Name, "router process cpu ms/req", then.Router.ProcessCpuMsPerRequest, now.Router.ProcessCpuMsPerRequest);
            Compare(text, now.Name, "router p50", then.Router.Latency.P50Ms, now.Router.Latency.P50Ms);
            Compare(text, now.Name, "router p99", then.Router.Latency.P99Ms, now.Router.Latency.P99Ms);
            if (then.Router.MaxThroughputRps is { } a && now.Router.MaxThroughputRps is { } b) Compare(text, now.Name, "router max rps", a, b);
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, PathFigures figures, bool stream)
    {
        var l = figures.Latency;
        var ttfb = stream ? Invariant($"{figures.FirstByte.P50Ms,9:0.000} {figures.FirstByte.P99Ms,9:0.000}") : Invariant($"{"",9} {"",9}");
        var max = figures.MaxThroughputRps is { } rps ? rps.ToString("0", CultureInfo.InvariantCulture) : "-";
        text.AppendLine(Invariant($"{label,-20} {figures.AchievedRps,8:0.0} {figures.Errors,5} {figures.Dropped,5} {l.P50Ms,8:0.000} {l.P90Ms,8:0.000} {l.P99Ms,8:0.000} {l.P999Ms,8:0.000} {l.MaxMs,8:0.000} {ttfb} {max,9} {figures.ServerCpuMsPerRequest,10:0.000} {figures.ProcessCpuMsPerRequest,8:0.000} {figures.OtherWorkCores,10:0.00}"));
    }

    private static void Added(StringBuilder text, string label, AddedLatency added, bool stream)
    {
        var verdict = added.P50Ms <= TargetAddedP50Ms && added.P99Ms <= TargetAddedP99Ms ? "within" : "OVER";
        text.Append(Invariant($"{label,-20} p50 {added.P50Ms,7:+0.000;-0.000} ms  p99 {added.P99Ms,7:+0.000;-0.000} ms"));
        if (stream) text.Append(Invariant($"  ttfb p50 {added.FirstByteP50Ms:+0.000;-0.000} p99 {added.FirstByteP99Ms:+0.000;-0.000}"));
        text.Append(Invariant($"  cpu {added.ServerCpuMsPerRequest:+0.000;-0.000} ms/req"));
        text.AppendLine(Invariant($"  (service time p50 {added.ServiceP50Ms:+0.000;-0.000} p99 {added.ServiceP99Ms:+0.000;-0.000}; target <= {TargetAddedP50Ms} / <= {TargetAddedP99Ms}: {verdict})"));
    }

    private static void Compare(StringBuilder text, string scenario, string metric, double then, double now) =>
        text.AppendLine(Invariant($"{scenario + " " + metric,-34} {then,10:0.000} {now,10:0.000} {now - then,10:+0.000;-0.000}"));

    private static string Short(string? commit) => commit is { Length: >= 12 } ? commit[..12] : commit ?? "?";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
