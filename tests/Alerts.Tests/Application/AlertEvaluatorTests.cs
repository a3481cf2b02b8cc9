using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Tests.Application;

public sealed class AlertEvaluatorTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Engineering = Guid.NewGuid();
    private static readonly DateOnly January = new(2025, 1, 1);

    private static AlertRule Rule(string type, decimal threshold) => new(Guid.NewGuid(), Org, type, threshold, DateTime.UtcNow);

    private static EvaluationInput Input(IReadOnlyList<AlertRule> rules, decimal userSpend, decimal groupUserSpend = 0, decimal groupSpend = 0,
        decimal? balance = null, decimal? userBudget = 100m, Guid? userId = null) => new(
        Org, January, userId ?? Alice, rules,
        [
            new(new SpendKey(SpendScope.User, Alice, Guid.Empty), userSpend),
            new(new SpendKey(SpendScope.GroupUser, Alice, Engineering), groupUserSpend),
            new(new SpendKey(SpendScope.Group, Engineering, Engineering), groupSpend),
        ],
        new UserProfile("alice@company.com", userBudget),
        new Dictionary<Guid, GroupProfile> { [Engineering] = new("Engineering", 500m, 50m, ["admin@company.com"]) },
        balance);

    [Theory]
    [InlineData(49.99, false)]
    [InlineData(50, true)]
    [InlineData(70, true)]
    public void A_user_percent_rule_fires_at_or_past_its_share_of_the_budget(decimal spend, bool fires)
    {
        var candidates = AlertEvaluator.Evaluate(Input([Rule(AlertTypes.UserBudgetPercent, 50)], spend));

        Assert.Equal(fires, candidates.Any(c => c.SubjectScope == SpendScope.User));
    }

    [Fact]
    public void Candidates_carry_the_month_as_period_so_a_new_month_re_arms()
    {
        var candidate = Assert.Single(AlertEvaluator.Evaluate(Input([Rule(AlertTypes.UserAbsolute, 10)], 11)));

        Assert.Equal("2025-01", candidate.Period);
        Assert.Equal(Alice, candidate.SubjectId);
        Assert.Equal(Guid.Empty, candidate.GroupId);
    }

    [Fact]
    public void Without_a_budget_percent_rules_stay_silent_but_absolute_rules_still_fire()
    {
        var rules = new[] { Rule(AlertTypes.UserBudgetPercent, 1), Rule(AlertTypes.UserAbsolute, 5) };

        var candidates = AlertEvaluator.Evaluate(Input(rules, 1000, userBudget: null));

        Assert.Equal([AlertTypes.UserAbsolute], candidates.Where(c => c.GroupId == Guid.Empty).Select(c => c.Type));
    }

    [Fact]
    public void Group_based_user_budgets_use_the_member_budget_and_name_the_group()
    {
        var candidate = Assert.Single(AlertEvaluator.Evaluate(Input([Rule(AlertTypes.UserBudgetPercent, 80)], userSpend: 10, groupUserSpend: 40)));

        Assert.Equal(SpendScope.GroupUser, candidate.SubjectScope);
        Assert.Equal(Engineering, candidate.GroupId);
        Assert.Equal("Engineering", (string)candidate.Payload["data"]!["group_name"]!);
        Assert.Equal("50", (string)candidate.Payload["data"]!["limit"]!);
    }

    [Fact]
    public void Group_rules_compare_the_group_total_with_the_group_budget()
    {
        var rules = new[] { Rule(AlertTypes.GroupBudgetPercent, 90) };

        Assert.Empty(AlertEvaluator.Evaluate(Input(rules, 0, groupSpend: 449.99m)));
        var candidate = Assert.Single(AlertEvaluator.Evaluate(Input(rules, 0, groupSpend: 450m)));
        Assert.Equal(SpendScope.Group, candidate.SubjectScope);
        Assert.Equal(Engineering, candidate.SubjectId);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(99.99, true)]
    public void Balance_rules_fire_strictly_below_the_threshold(decimal balance, bool fires)
    {
        var candidates = AlertEvaluator.Evaluate(Input([Rule(AlertTypes.OrgBalanceBelow, 100)], 0, balance: balance));

        Assert.Equal(fires, candidates.Count == 1);
        if (fires) Assert.Equal(AlertEvaluator.BalancePeriod, candidates[0].Period);
    }

    [Fact]
    public void Balance_rules_stay_silent_when_no_balance_is_known()
    {
        Assert.Empty(AlertEvaluator.Evaluate(Input([Rule(AlertTypes.OrgBalanceBelow, 100)], 0, balance: null)));
    }

    [Fact]
    public void User_rules_ignore_spend_of_keys_without_a_user()
    {
        var input = Input([Rule(AlertTypes.UserAbsolute, 1)], 100) with { UserId = null };

        Assert.Empty(AlertEvaluator.Evaluate(input));
    }
}
