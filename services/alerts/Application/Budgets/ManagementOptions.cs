namespace Requesty.Alerts.Application.Budgets;

/// <summary>How alerts reads budgets from management (section "Alerts:Management").</summary>
public sealed class ManagementOptions
{
    public const string Section = "Alerts:Management";

    /// <summary>How long one organization's budgets are reused before management is asked again (0 = every evaluation).</summary>
    public TimeSpan BudgetsCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one call to management.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before a deferred evaluation is tried again; doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the deferred evaluations are polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
