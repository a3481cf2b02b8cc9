using Microsoft.Extensions.DependencyInjection;
using Requesty.Alerts.Infrastructure;
using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class SpendAccumulationTests(AlertsServiceFixture fixture)
{
    private static readonly DateTime MidJanuary = new(2025, 1, 15, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task One_event_creates_spend_rows_with_the_exact_decimal_cost()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        const decimal cost = 0.012345678901234567m;

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, cost, MidJanuary, userId: user));

        var spend = await fixture.WaitForSpendAsync(org, "2025-01", p => p.Find("user", user) is not null, "user spend row");
        Assert.Equal("2025-01", spend.Month);
        Assert.Equal(org, spend.OrgId);
        Assert.Equal(cost, spend.Find("user", user)!.SpendUsd);
        Assert.Equal(1, spend.Find("user", user)!.RequestCount);
        Assert.Equal(cost, spend.Find("organization", org)!.SpendUsd);
        Assert.Equal(2, spend.Rows.Count);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_counted_once()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var duplicate = RequestCompletedSamples.Create(org, 1.25m, MidJanuary, userId: user);
        var sentinelUser = Guid.NewGuid();

        await fixture.PublishAsync(duplicate);
        await fixture.PublishAsync(duplicate);
        // The service processes its queue one message at a time, so once the sentinel is
        // visible both copies of the duplicate have been consumed.
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 0.5m, MidJanuary, userId: sentinelUser));

        var spend = await fixture.WaitForSpendAsync(org, "2025-01", p => p.Find("user", sentinelUser) is not null, "sentinel consumed");
        Assert.Equal(1.25m, spend.Find("user", user)!.SpendUsd);
        Assert.Equal(1, spend.Find("user", user)!.RequestCount);
        Assert.Equal(1.75m, spend.Find("organization", org)!.SpendUsd);
        Assert.Equal(2, spend.Find("organization", org)!.RequestCount);
    }

    [Fact]
    public async Task A_RequestCompletedBatch_counts_each_distinct_request_once_even_when_events_repeat_and_the_batch_is_redelivered()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var first = RequestCompletedSamples.Create(org, 1.25m, MidJanuary, userId: user);
        var second = RequestCompletedSamples.Create(org, 0.000000001m, MidJanuary, userId: user);
        var batch = new RequestCompletedBatch { Events = [first, second, first] };
        var sentinelUser = Guid.NewGuid();

        await fixture.PublishAsync(batch);
        await fixture.PublishAsync(batch);
        // One message at a time: once the sentinel is visible both batches have been consumed.
        await fixture.PublishAsync(new RequestCompletedBatch { Events = [RequestCompletedSamples.Create(org, 0.5m, MidJanuary, userId: sentinelUser)] });

        var spend = await fixture.WaitForSpendAsync(org, "2025-01", p => p.Find("user", sentinelUser) is not null, "sentinel consumed");
        Assert.Equal(1.250000001m, spend.Find("user", user)!.SpendUsd);
        Assert.Equal(2, spend.Find("user", user)!.RequestCount);
        Assert.Equal(1.750000001m, spend.Find("organization", org)!.SpendUsd);
        Assert.Equal(3, spend.Find("organization", org)!.RequestCount);
    }

    [Fact]
    public async Task Recording_a_request_id_a_second_time_changes_nothing()
    {
        var ledger = fixture.Host.Services.GetRequiredService<SpendLedger>();
        var org = Guid.NewGuid();
        var key = Guid.NewGuid();
        var request = RequestCompletedSamples.Create(org, 3.000000001m, MidJanuary, apiKeyId: key);

        Assert.True(await ledger.RecordAsync(request, CancellationToken.None));
        Assert.False(await ledger.RecordAsync(request, CancellationToken.None));

        var rows = await ledger.GetAsync(org, new DateOnly(2025, 1, 1), "api_key", CancellationToken.None);
        var row = Assert.Single(rows);
        Assert.Equal(key, row.ScopeId);
        Assert.Equal(3.000000001m, row.SpendUsd);
        Assert.Equal(1, row.RequestCount);
    }

    [Fact]
    public async Task Events_of_different_users_and_groups_sum_per_user_and_per_group()
    {
        var org = Guid.NewGuid();
        var (alice, bob, serviceKey) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (engineering, research) = (Guid.NewGuid(), Guid.NewGuid());

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 1.10m, MidJanuary, userId: alice, groupIds: [engineering, research]));
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 2.25m, MidJanuary, userId: bob, groupIds: [engineering]));
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 0.40m, MidJanuary, apiKeyId: serviceKey, groupIds: [research]));
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 0.05m, MidJanuary, userId: alice));

        var spend = await fixture.WaitForSpendAsync(org, "2025-01",
            p => p.Find("organization", org)?.RequestCount == 4, "all four requests consumed");

        Assert.Equal(3.80m, spend.Find("organization", org)!.SpendUsd);
        Assert.Equal(1.15m, spend.Find("user", alice)!.SpendUsd);
        Assert.Equal(2, spend.Find("user", alice)!.RequestCount);
        Assert.Equal(2.25m, spend.Find("user", bob)!.SpendUsd);
        Assert.Equal(0.40m, spend.Find("api_key", serviceKey)!.SpendUsd);
        Assert.Equal(3.35m, spend.Find("group", engineering, engineering)!.SpendUsd);
        Assert.Equal(1.50m, spend.Find("group", research, research)!.SpendUsd);
        Assert.Equal(1.10m, spend.Find("group_user", alice, engineering)!.SpendUsd);
        Assert.Equal(1.10m, spend.Find("group_user", alice, research)!.SpendUsd);
        Assert.Equal(2.25m, spend.Find("group_user", bob, engineering)!.SpendUsd);
        Assert.Equal(0.40m, spend.Find("group_api_key", serviceKey, research)!.SpendUsd);
        Assert.Equal(10, spend.Rows.Count);
    }

    [Fact]
    public async Task The_month_boundary_is_midnight_UTC()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 1m, new DateTime(2025, 1, 31, 23, 59, 59, 999, DateTimeKind.Utc), userId: user));
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 2m, new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), userId: user));

        var january = await fixture.WaitForSpendAsync(org, "2025-01", p => p.Find("user", user) is not null, "January row");
        var february = await fixture.WaitForSpendAsync(org, "2025-02", p => p.Find("user", user) is not null, "February row");

        Assert.Equal(1m, january.Find("user", user)!.SpendUsd);
        Assert.Equal(2m, february.Find("user", user)!.SpendUsd);
        Assert.Empty((await fixture.GetSpendAsync(org, "2025-03")).Rows);
    }
}
