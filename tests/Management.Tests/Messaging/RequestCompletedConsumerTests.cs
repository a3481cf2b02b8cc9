using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Contracts.Events;
using Requesty.Management.Application.Spend;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Messaging;

public sealed class RequestCompletedConsumerTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task The_same_RequestCompleted_published_twice_is_counted_once()
    {
        using var client = fixture.Client();
        var created = await client.CreateKeyAsync(new { name = "spender" });
        var keyId = created["id"]!.GetValue<Guid>();
        var organization = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        var message = Completed(keyId, organization["id"]!.GetValue<Guid>(), 0.0123456789m);

        var bus = fixture.Host.Services.GetRequiredService<IBus>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.Publish(message, timeout.Token);
        await bus.Publish(message, timeout.Token);

        // Wait (bounded) until both deliveries were handled, then check the spend.
        await WaitForDeliveriesAsync(message.RequestId, atLeast: 2);
        var details = await (await client.GetAsync($"v1/manage/apikey/{keyId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0.0123456789m, details["spend_this_month"]!.GetValue<decimal>());

        var org = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0.0123456789m, org["spend_this_month"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_RequestCompletedBatch_counts_each_distinct_request_once_even_when_events_repeat_and_the_batch_is_redelivered()
    {
        using var client = fixture.Client();
        var keyId = (await client.CreateKeyAsync(new { name = "batched spender" }))["id"]!.GetValue<Guid>();
        // Another organisation id keeps the fixture organisation's spend to the other test of this class.
        var organizationId = Guid.NewGuid();
        var first = Completed(keyId, organizationId, 0.25m);
        var second = Completed(keyId, organizationId, 0.0000000015m);
        var batch = new RequestCompletedBatch { Events = [first, second, first] };

        var bus = fixture.Host.Services.GetRequiredService<IBus>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.Publish(batch, timeout.Token);
        await bus.Publish(batch, timeout.Token);

        await WaitForDeliveriesAsync(second.RequestId, atLeast: 2);
        await WaitForDeliveriesAsync(first.RequestId, atLeast: 4);
        var details = await (await client.GetAsync($"v1/manage/apikey/{keyId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0.2500000015m, details["spend_this_month"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_ledger_adds_distinct_requests_and_ignores_redeliveries()
    {
        var ledger = fixture.Host.Services.GetRequiredService<SpendLedger>();
        var keyId = Guid.NewGuid();
        var first = Completed(keyId, Guid.NewGuid(), 1.5m);
        var second = Completed(keyId, first.Caller.OrganizationId, 0.25m);

        Assert.True(await ledger.RecordAsync(first, default));
        Assert.False(await ledger.RecordAsync(first, default));
        Assert.True(await ledger.RecordAsync(second, default));
        Assert.Equal(1.75m, await ledger.MonthSpendAsync(keyId, DateTime.UtcNow, default));

        // A request completed in another month counts for that month only.
        var lastYear = Completed(keyId, first.Caller.OrganizationId, 10m) with { CompletedAt = DateTime.UtcNow.AddYears(-1) };
        Assert.True(await ledger.RecordAsync(lastYear, default));
        Assert.Equal(1.75m, await ledger.MonthSpendAsync(keyId, DateTime.UtcNow, default));
        Assert.Equal(10m, await ledger.MonthSpendAsync(keyId, lastYear.CompletedAt, default));
    }

    private async Task WaitForDeliveriesAsync(Guid requestId, int atLeast)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var command = fixture.Database.CreateCommand("SELECT deliveries FROM management.processed_requests WHERE request_id = @id");
            command.Parameters.AddWithValue("id", requestId);
            if (await command.ExecuteScalarAsync() is int deliveries && deliveries >= atLeast) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"RequestCompleted {requestId} was not delivered {atLeast} times.");
    }

    private static RequestCompleted Completed(Guid apiKeyId, Guid organizationId, decimal cost) =>
        RequestCompletedSamples.Create(organizationId, cost, apiKeyId: apiKeyId);
}
