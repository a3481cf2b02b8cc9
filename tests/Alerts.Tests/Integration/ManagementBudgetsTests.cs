using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Requesty.Alerts.Infrastructure;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>Budgets, limits and the balance come from management (here its stub) at evaluation time.</summary>
[Collection(AlertsServiceCollection.Name)]
public sealed class ManagementBudgetsTests(AlertsServiceFixture fixture)
{
    private static DateTime August(int day) => new(2025, 8, day, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_budget_changed_in_management_applies_to_the_next_evaluation()
    {
        var org = Guid.NewGuid();
        var (erin, design) = (Guid.NewGuid(), Guid.NewGuid());
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        var budgets = fixture.Management.Budgets(org).User(erin, "erin@company.com", 100m).Group(design, "Design", 1000m);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 50);
        await fixture.Api.CreateRuleAsync(org, "group.budget.exceeded_percent", 50);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 30m, August(1), userId: erin, groupIds: [design])); // 30% / 3%
        await fixture.Api.WaitForRequestCountAsync(org, "2025-08", 1);

        budgets.User(erin, "erin@company.com", 40m).Group(design, "Design", 60m);        // limits lowered in management
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 1m, August(2), userId: erin, groupIds: [design]));  // 31 of 40 and of 60
        await fixture.Api.WaitForRequestCountAsync(org, "2025-08", 2);

        await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 2 && l.All(d => (string)d!["status"]! == "delivered"), "two alerts");
        var received = await fixture.Receiver.WaitForAsync(hook, 2);
        Assert.Contains(received, r => (string)r.Json["type"]! == "user.budget.exceeded_percent" && (string)r.Json["data"]!["limit"]! == "40");
        Assert.Contains(received, r => (string)r.Json["type"]! == "group.budget.exceeded_percent" && (string)r.Json["data"]!["limit"]! == "60");
    }

    [Fact]
    public async Task A_user_without_a_limit_of_their_own_gets_no_percent_alert_even_with_an_org_default()
    {
        // Management applies default_user_monthly_limit when it creates a user; a null limit there means "no limit".
        var org = Guid.NewGuid();
        var frank = Guid.NewGuid();
        fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        fixture.Management.Budgets(org, defaultUserMonthlyLimit: 10m).User(frank, "frank@company.com", null);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 80);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 1);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 8m, August(3), userId: frank));

        // The absolute alert proves the evaluation ran; the percent rule had no limit to compare with.
        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count >= 1, "the absolute alert");
        Assert.Equal("user.budget.exceeded_absolute", (string)Assert.Single(deliveries)!["type"]!);
    }

    [Fact]
    public async Task Postpaid_organizations_get_no_balance_alerts()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        fixture.Management.Budgets(org, billingMode: "postpaid", balance: 0m).User(user, "gail@company.com", null);
        await fixture.Api.CreateRuleAsync(org, "org.balance.below_absolute", 100);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 1);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 5m, August(4), userId: user));

        // The absolute alert proves the evaluation ran; the balance rule stayed silent.
        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count >= 1, "the absolute alert");
        Assert.Equal("user.budget.exceeded_absolute", (string)Assert.Single(deliveries)!["type"]!);
    }

    [Fact]
    public async Task An_organization_unknown_to_management_has_no_budgets_but_absolute_rules_still_fire()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 1);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 2);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 3m, August(5), userId: user));

        var alert = Assert.Single(await fixture.Receiver.WaitForAsync(hook, 1));
        Assert.Equal("user.budget.exceeded_absolute", (string)alert.Json["type"]!);
        Assert.Equal(user.ToString(), (string)alert.Json["data"]!["user_email"]!);
    }

    [Fact]
    public async Task While_management_is_down_spend_is_recorded_and_the_evaluation_waits_then_fires_once()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        fixture.Management.Budgets(org).User(user, "hana@company.com", 10m);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 50);
        fixture.Management.Fail(org);

        var crossing = RequestCompletedSamples.Create(org, 6m, August(6), userId: user);
        await fixture.PublishAsync(crossing);
        await fixture.Api.WaitForRequestCountAsync(org, "2025-08", 1);         // spend recorded despite the outage
        var dataSource = fixture.Host.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(1, await PendingEvaluationStore.CountAsync(dataSource, org, CancellationToken.None));
        await Eventually.GetAsync(() => Task.FromResult(fixture.Management.BudgetCalls(org) >= 3 ? "retried" : null),
            TimeSpan.FromSeconds(30), "deferred evaluation retried");
        Assert.Empty(fixture.Receiver.For(hook));

        fixture.Management.Fail(org, false);
        await fixture.PublishAsync(crossing);                                   // a redelivery changes nothing
        var alert = Assert.Single(await fixture.Receiver.WaitForAsync(hook, 1));
        Assert.Equal("hana@company.com", (string)alert.Json["data"]!["user_email"]!);
        await Eventually.GetAsync(async () => await PendingEvaluationStore.CountAsync(dataSource, org, CancellationToken.None) == 0 ? "done" : null,
            TimeSpan.FromSeconds(30), "pending evaluation completed");
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 1m, August(7), userId: user));
        await fixture.Api.WaitForRequestCountAsync(org, "2025-08", 2);
        await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 1 && (string)l[0]!["status"]! == "delivered", "delivered once");
        Assert.Single(fixture.Receiver.For(hook));
    }
}
