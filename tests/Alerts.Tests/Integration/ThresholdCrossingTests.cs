using Microsoft.Extensions.DependencyInjection;
using Requesty.Alerts.Infrastructure;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class ThresholdCrossingTests(AlertsServiceFixture fixture)
{
    private static DateTime January(int day) => new(2025, 1, day, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Each_threshold_fires_once_per_crossing_and_re_arms_next_month()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        fixture.Management.Budgets(org).User(user, "carol@company.com", 100m);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 50);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 80);

        var crossesHalf = RequestCompletedSamples.Create(org, 25m, January(3), userId: user);
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 30m, January(2), userId: user)); // 30%: nothing
        await fixture.PublishAsync(crossesHalf);                                                         // 55%: 50% fires
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 10m, January(4), userId: user)); // 65%: stays above, nothing
        await fixture.PublishAsync(crossesHalf);                                                         // redelivered: nothing
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 3);

        var afterHalf = await fixture.Receiver.WaitForAsync(hook, 1);
        Assert.Equal("0.5", (string)Assert.Single(afterHalf).Json["data"]!["percentage_exceeded"]!);

        var crossesEighty = RequestCompletedSamples.Create(org, 20m, January(5), userId: user);
        await fixture.PublishAsync(crossesEighty);                                                       // 85%: 80% fires
        await fixture.PublishAsync(crossesEighty);                                                       // redelivered: nothing
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 30m, January(6), userId: user)); // 115%: nothing new
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 5);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 60m, new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), userId: user));
        await fixture.Api.WaitForRequestCountAsync(org, "2025-02", 1);                                 // February: 60% re-arms 50%

        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org,
            l => l.Count == 3 && l.All(d => (string)d!["status"]! == "delivered"), "three alerts delivered");
        var received = fixture.Receiver.For(hook);
        // The February alert may be sent in the same batch as January's 80% one, so order is not asserted.
        Assert.Equal(["0.5", "0.5", "0.8"], received.Select(r => (string)r.Json["data"]!["percentage_exceeded"]!).Order());
        Assert.Equal(3, deliveries.Count);
    }

    [Fact]
    public async Task A_balance_alert_fires_once_below_the_management_balance_and_re_arms_after_a_top_up()
    {
        var org = Guid.NewGuid();
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        var budgets = fixture.Management.Budgets(org, balance: 120m);
        await fixture.Api.CreateRuleAsync(org, "org.balance.below_absolute", 100);

        // Management's balance already includes each request's cost; alerts only reads it.
        budgets.Balance = 90m;
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 30m, January(10)));  // 90: fires
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 1);
        budgets.Balance = 85m;
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 5m, January(11)));   // 85: still below, nothing
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 2);
        budgets.Balance = 150m;                                                              // top-up
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 1m, January(12)));   // 150: re-arms
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 3);
        budgets.Balance = 90m;
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 60m, January(13)));  // 90: fires again
        await fixture.Api.WaitForRequestCountAsync(org, "2025-01", 4);

        await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 2 && l.All(d => (string)d!["status"]! == "delivered"), "two balance alerts");
        var received = fixture.Receiver.For(hook);
        Assert.Equal(["90.00", "90.00"], received.Select(r => (string)r.Json["data"]!["current_balance"]!));
    }

    [Fact]
    public async Task Concurrent_requests_crossing_the_same_threshold_fire_it_once()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, "json", url);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 3);
        var ledger = fixture.Host.Services.GetRequiredService<SpendLedger>();

        // Eight transactions at once, as eight consumers would run them; from the third on each sees spend >= $3.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            ledger.RecordAsync(RequestCompletedSamples.Create(org, 1m, January(20), userId: user), CancellationToken.None)));

        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 1 && (string)l[0]!["status"]! == "delivered", "one delivery");
        Assert.Equal(8, await fixture.Api.RequestCountAsync(org, "2025-01"));
        Assert.Single(fixture.Receiver.For(hook));
        Assert.Single(deliveries);
    }
}
