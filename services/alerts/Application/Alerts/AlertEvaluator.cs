using System.Text.Json.Nodes;

namespace Requesty.Alerts.Application.Alerts;

public sealed record AlertRule(Guid Id, Guid OrganizationId, string Type, decimal Threshold, DateTime CreatedAt);

public sealed record UserProfile(string Email, decimal? MonthlyBudgetUsd);

public sealed record GroupProfile(string Name, decimal? MonthlyBudgetUsd, decimal? MemberMonthlyBudgetUsd, IReadOnlyList<string> AdminEmails);

/// <summary>Everything one request's evaluation looks at, read inside the spend transaction (values after the request).</summary>
public sealed record EvaluationInput(
    Guid OrganizationId,
    DateOnly Month,
    Guid? UserId,
    IReadOnlyList<AlertRule> Rules,
    IReadOnlyList<SpendKeyAmount> Spend,
    UserProfile? User,
    IReadOnlyDictionary<Guid, GroupProfile> Groups,
    decimal? Balance);

public readonly record struct SpendKeyAmount(SpendKey Key, decimal SpendUsd);

/// <summary>A threshold found crossed; it fires only if its (rule, subject, period) ledger row is new.</summary>
public sealed record AlertCandidate(Guid RuleId, string Type, string SubjectScope, Guid SubjectId, Guid GroupId, string Period, JsonObject Payload);

/// <summary>
/// Decides which thresholds the current spend is at or past. Deliberately level-based ("at or past",
/// not "just crossed"): the unique ledger turns it into exactly one alert per crossing and period,
/// and a rule created mid-month still fires on the next request.
/// </summary>
public static class AlertEvaluator
{
    public const string BalancePeriod = "balance";

    public static IReadOnlyList<AlertCandidate> Evaluate(EvaluationInput input)
    {
        var period = SpendMonth.Format(input.Month);
        var candidates = new List<AlertCandidate>();
        foreach (var rule in input.Rules)
        {
            switch (rule.Type)
            {
                case AlertTypes.UserBudgetPercent or AlertTypes.UserAbsolute:
                    candidates.AddRange(UserCandidates(input, rule, period));
                    break;
                case AlertTypes.GroupBudgetPercent:
                    candidates.AddRange(GroupCandidates(input, rule, period));
                    break;
                case AlertTypes.OrgBalanceBelow when input.Balance is { } balance && balance < rule.Threshold:
                    candidates.Add(new AlertCandidate(rule.Id, rule.Type, SpendScope.Organization, input.OrganizationId, Guid.Empty,
                        BalancePeriod, AlertPayloads.OrgBalance(input.OrganizationId, rule.Threshold, balance)));
                    break;
            }
        }
        // A stable order keeps concurrent transactions inserting ledger rows in the same order (no deadlocks).
        return candidates
            .OrderBy(c => c.RuleId).ThenBy(c => c.SubjectScope, StringComparer.Ordinal).ThenBy(c => c.SubjectId).ThenBy(c => c.GroupId)
            .ToList();
    }

    private static IEnumerable<AlertCandidate> UserCandidates(EvaluationInput input, AlertRule rule, string period)
    {
        if (input.UserId is not { } userId) yield break;
        var email = input.User?.Email ?? userId.ToString();
        foreach (var (key, spend) in input.Spend)
        {
            if (key.ScopeId != userId) continue;
            string? groupName;
            decimal? budget;
            if (key.Scope == SpendScope.User)
            {
                groupName = null;
                budget = input.User?.MonthlyBudgetUsd;
            }
            else if (key.Scope == SpendScope.GroupUser)
            {
                var group = input.Groups.GetValueOrDefault(key.GroupId);
                groupName = group?.Name ?? key.GroupId.ToString();
                budget = group?.MemberMonthlyBudgetUsd;
            }
            else continue;

            if (rule.Type == AlertTypes.UserAbsolute && spend >= rule.Threshold)
            {
                yield return new AlertCandidate(rule.Id, rule.Type, key.Scope, userId, key.GroupId, period,
                    AlertPayloads.UserAbsolute(email, groupName, rule.Threshold));
            }
            else if (rule.Type == AlertTypes.UserBudgetPercent && budget is > 0 && spend >= budget.Value * rule.Threshold / 100m)
            {
                yield return new AlertCandidate(rule.Id, rule.Type, key.Scope, userId, key.GroupId, period,
                    AlertPayloads.UserPercent(email, groupName, budget.Value, rule.Threshold));
            }
        }
    }

    private static IEnumerable<AlertCandidate> GroupCandidates(EvaluationInput input, AlertRule rule, string period)
    {
        foreach (var (key, spend) in input.Spend)
        {
            if (key.Scope != SpendScope.Group) continue;
            if (input.Groups.GetValueOrDefault(key.GroupId) is not { MonthlyBudgetUsd: > 0 } group) continue;
            if (spend < group.MonthlyBudgetUsd!.Value * rule.Threshold / 100m) continue;
            yield return new AlertCandidate(rule.Id, rule.Type, SpendScope.Group, key.GroupId, key.GroupId, period,
                AlertPayloads.GroupPercent(group.Name, group.AdminEmails, group.MonthlyBudgetUsd.Value, rule.Threshold));
        }
    }
}
