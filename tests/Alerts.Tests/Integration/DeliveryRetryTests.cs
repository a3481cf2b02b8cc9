using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class DeliveryRetryTests(AlertsServiceFixture fixture)
{
    private static readonly DateTime MidApril = new(2025, 4, 15, 8, 0, 0, DateTimeKind.Utc);

    private async Task<Guid> FireOneAlertAsync(string url)
    {
        var org = Guid.NewGuid();
        await fixture.Api.PutWebhookAsync(org, "json", url);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 1);
        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 2m, MidApril, userId: Guid.NewGuid()));
        return org;
    }

    [Fact]
    public async Task Two_failures_then_success_deliver_once_with_three_attempts_logged()
    {
        var hook = fixture.Receiver.NewHook(out var url);
        fixture.Receiver.AnswerInOrder(hook, 500, 500, 200);
        var org = await FireOneAlertAsync(url);

        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 1 && (string)l[0]!["status"]! == "delivered", "delivered");

        var attempts = deliveries[0]!["attempts"]!.AsArray();
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["status_code"]!));
        Assert.Equal([1, 2, 3], attempts.Select(a => (int)a!["attempt"]!));
        Assert.Equal(["HTTP 500", "HTTP 500", null], attempts.Select(a => (string?)a!["error"]));
        Assert.All(attempts, a => Assert.True((int)a!["latency_ms"]! >= 0));
        Assert.Equal(3, (int)deliveries[0]!["attempt_count"]!);
        var received = fixture.Receiver.For(hook);
        Assert.Single(received, r => r.AnsweredStatus == 200);
        Assert.Single(received.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task A_hanging_receiver_is_cut_off_by_the_attempt_timeout_and_the_delivery_fails_after_the_retries()
    {
        var hook = fixture.Receiver.NewHook(out var url);
        fixture.Receiver.Hang(hook);
        var org = await FireOneAlertAsync(url);

        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.Count == 1 && (string)l[0]!["status"]! == "failed",
            "failed after retries", TimeSpan.FromSeconds(60));

        var attempts = deliveries[0]!["attempts"]!.AsArray();
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Null((int?)a!["status_code"]);
            Assert.Equal("timed out after 1 s", (string)a["error"]!);
        });
        Assert.Equal(4, fixture.Receiver.For(hook).Count);
    }
}
