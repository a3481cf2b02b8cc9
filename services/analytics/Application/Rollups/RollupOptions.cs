namespace Requesty.Analytics.Application.Rollups;

/// <summary>Configuration section "Analytics:Rollup".</summary>
public sealed class RollupOptions
{
    public const string Section = "Analytics:Rollup";

    /// <summary>Seconds between rolls; 0 turns the background roll off (queries then read raw rows only).</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>Whether the usage views and /query read closed clean hours (and whole days) from the rollup tables.</summary>
    public bool UseForQueries { get; set; } = true;
}
