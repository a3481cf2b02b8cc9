using System.Diagnostics;

namespace Requesty.Bench.Load;

/// <summary>
/// Whole-machine CPU use from /proc/stat, so a run can say how busy the cores were and how much of that was work
/// outside the bench (other builds and tests on a shared machine make latency figures unreliable).
/// </summary>
public readonly record struct MachineCpu(long BusyTicks, long TotalTicks, TimeSpan BenchProcess)
{
    public static MachineCpu Sample()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        var total = fields.Take(Math.Min(fields.Length, 8)).Sum();
        return new MachineCpu(total - idle, total, Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>Cores busy on average between two samples, and how many of them were not the bench or its servers.</summary>
    public static (double Busy, double Other) Between(MachineCpu start, MachineCpu end, TimeSpan serverCpu, TimeSpan wall)
    {
        var totalTicks = end.TotalTicks - start.TotalTicks;
        if (totalTicks <= 0 || wall <= TimeSpan.Zero) return (0, 0);
        var busy = (double)(end.BusyTicks - start.BusyTicks) / totalTicks * Environment.ProcessorCount;
        var ours = (serverCpu + (end.BenchProcess - start.BenchProcess)) / wall;
        return (Math.Round(busy, 2), Math.Round(Math.Max(0, busy - ours), 2));
    }
}
