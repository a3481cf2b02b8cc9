using Requesty.Alerts.Application.Delivery;
using Requesty.Alerts.Tests.Integration.Support;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>Runs alone, after the other collections (their service instances would otherwise send these deliveries).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeliveryRestartCollection
{
    public const string Name = "alerts delivery restart";
}

[Collection(DeliveryRestartCollection.Name)]
public sealed class DeliveryRestartTests
{
    [Fact]
    public async Task Deliveries_pending_when_the_service_stops_are_sent_once_after_the_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var management = await StubManagement.StartAsync();
        var org = Guid.NewGuid();
        var hook = receiver.NewHook(out var url);
        var queuePrefix = ServiceWithOwnQueues.NewQueuePrefix();

        // First instance: consumes and writes the outbox, but does not send (as if it died before sending).
        await using (var first = await ServiceWithOwnQueues.StartAsync(AlertsApp.Build, queuePrefix,
            AlertsTestSettings.ServiceArgs("--Alerts:Delivery:Enabled=false", AlertsTestSettings.ManagementUrl(management))))
        {
            using var client = first.CreateClient();
            var api = new AlertsApi(client);
            await api.PutWebhookAsync(org, "json", url);
            await api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 1);
            await using var bus = new BusPublisher();
            await bus.PublishAsync(Enumerable.Range(0, 3).Select(_ =>
                RequestCompletedSamples.Create(org, 5m, new DateTime(2025, 5, 5, 0, 0, 0, DateTimeKind.Utc), userId: Guid.NewGuid())).ToArray());
            await api.WaitForDeliveriesAsync(org, l => l.Count == 3, "three pending deliveries");
            Assert.All(await api.GetDeliveriesAsync(org), d => Assert.Equal("pending", (string)d!["status"]!));
        }
        Assert.Empty(receiver.Received);

        await using var second = await ServiceWithOwnQueues.StartAsync(AlertsApp.Build, queuePrefix, AlertsTestSettings.ServiceArgs(AlertsTestSettings.ManagementUrl(management)));
        using var secondClient = second.CreateClient();
        var secondApi = new AlertsApi(secondClient);
        var delivered = await secondApi.WaitForDeliveriesAsync(org, l => l.Count == 3 && l.All(d => (string)d!["status"]! == "delivered"), "delivered after restart");

        var received = receiver.For(hook);
        Assert.Equal(3, received.Count);
        Assert.Equal(3, received.Select(r => r.Header(WebhookSignature.DeliveryIdHeader)).Distinct().Count());
        Assert.All(delivered, d => Assert.Single(d!["attempts"]!.AsArray()));
    }

    [Fact]
    public async Task A_webhook_edit_applies_to_alerts_still_pending()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var management = await StubManagement.StartAsync();
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        var oldHook = receiver.NewHook(out var oldUrl);
        var newHook = receiver.NewHook(out var newUrl);
        var queuePrefix = ServiceWithOwnQueues.NewQueuePrefix();

        await using (var first = await ServiceWithOwnQueues.StartAsync(AlertsApp.Build, queuePrefix,
            AlertsTestSettings.ServiceArgs("--Alerts:Delivery:Enabled=false", AlertsTestSettings.ManagementUrl(management))))
        {
            using var client = first.CreateClient();
            var api = new AlertsApi(client);
            await api.PutWebhookAsync(org, "json", oldUrl);
            management.Budgets(org).User(user, "dave@company.com", null);
            await api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 20);
            await using var bus = new BusPublisher();
            await bus.PublishAsync(RequestCompletedSamples.Create(org, 25m, new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), userId: user));
            await api.WaitForDeliveriesAsync(org, l => l.Count == 1, "one pending delivery");
            await api.PutWebhookAsync(org, "slack", newUrl);
        }

        await using var second = await ServiceWithOwnQueues.StartAsync(AlertsApp.Build, queuePrefix, AlertsTestSettings.ServiceArgs(AlertsTestSettings.ManagementUrl(management)));
        var received = Assert.Single(await receiver.WaitForAsync(newHook, 1));
        Assert.Equal("User Spend Threshold Exceeded — dave@company.com exceeded $20 spend threshold", (string)received.Json["text"]!);
        using var secondClient = second.CreateClient();
        await new AlertsApi(secondClient).WaitForDeliveriesAsync(org, l => (string)l[0]!["status"]! == "delivered", "delivered");
        Assert.Empty(receiver.For(oldHook));
    }

    private sealed class BusPublisher : IAsyncDisposable
    {
        private readonly Task<MassTransit.IBusControl> _bus = TestBus.StartAsync();

        public async Task PublishAsync(params Requesty.Contracts.Events.RequestCompleted[] messages)
        {
            var bus = await _bus;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Task.WhenAll(messages.Select(m => bus.Publish(m, timeout.Token)));
        }

        public async ValueTask DisposeAsync() => await (await _bus).StopAsync();
    }
}
