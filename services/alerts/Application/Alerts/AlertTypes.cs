namespace Requesty.Alerts.Application.Alerts;

/// <summary>The four alert types; the strings are the wire contract.</summary>
public static class AlertTypes
{
    public const string UserBudgetPercent = "user.budget.exceeded_percent";
    public const string UserAbsolute = "user.budget.exceeded_absolute";
    public const string GroupBudgetPercent = "group.budget.exceeded_percent";
    public const string OrgBalanceBelow = "org.balance.below_absolute";

    public static readonly IReadOnlyList<string> All = [UserBudgetPercent, UserAbsolute, GroupBudgetPercent, OrgBalanceBelow];

    public static bool IsPercent(string type) => type is UserBudgetPercent or GroupBudgetPercent;

    /// <summary>Null when the threshold suits the type, else the field message.</summary>
    public static string? ValidateThreshold(string type, decimal threshold) =>
        IsPercent(type)
            ? threshold is >= 1 and <= 100 ? null : "Percentage thresholds must be between 1 and 100."
            : threshold > 0 ? null : "Dollar thresholds must be greater than 0.";
}

/// <summary>Webhook kinds.</summary>
public static class WebhookTypes
{
    public const string Json = "json";
    public const string Slack = "slack";

    public static readonly IReadOnlyList<string> All = [Json, Slack];
}
