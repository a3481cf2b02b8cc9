namespace Requesty.Alerts.Application.Budgets;

/// <summary>
/// The budgets fetched for one evaluation before its transaction opened: none asked (the organization
/// had no rules), the answer, or management unavailable (the evaluation is deferred).
/// </summary>
public readonly record struct BudgetsLookup(OrgBudgets? Budgets, string? UnavailableReason)
{
    public static readonly BudgetsLookup NotFetched = default;

    public static BudgetsLookup Of(OrgBudgets budgets) => new(budgets, null);

    public static BudgetsLookup Unavailable(string reason) => new(null, reason);
}
