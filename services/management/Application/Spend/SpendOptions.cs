namespace Requesty.Management.Application.Spend;

/// <summary>Configuration section "Spend".</summary>
public sealed class SpendOptions
{
    /// <summary>How often blocks are re-checked against limits that changed without a request (raised limit, top-up).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);
}
