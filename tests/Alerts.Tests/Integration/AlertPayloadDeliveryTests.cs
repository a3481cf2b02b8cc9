using System.Text.Json.Nodes;
using Requesty.Alerts.Application.Delivery;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class AlertPayloadDeliveryTests(AlertsServiceFixture fixture)
{
    private static readonly DateTime MidMarch = new(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Alice (limit $100) in Engineering (budget $500, $50 per member, admin@company.com), as management
    /// serves them, and one rule of each type; one $460 request crosses all of them (balance now $87.50).
    /// </summary>
    private async Task<(Guid Org, string Hook)> ArrangeAllTypesAsync(string webhookType, string? secret = null)
    {
        var org = Guid.NewGuid();
        var (alice, engineering) = (Guid.NewGuid(), Guid.NewGuid());
        var hook = fixture.Receiver.NewHook(out var url);
        await fixture.Api.PutWebhookAsync(org, webhookType, url, secret);
        // Management's balance after the request: $547.50 - $460.
        fixture.Management.Budgets(org, balance: 87.50m)
            .User(alice, "alice@company.com", 100m)
            .Group(engineering, "Engineering", 500m, 50m, "admin@company.com");
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 80);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 50);
        await fixture.Api.CreateRuleAsync(org, "group.budget.exceeded_percent", 90);
        await fixture.Api.CreateRuleAsync(org, "org.balance.below_absolute", 100);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 460m, MidMarch, userId: alice, groupIds: [engineering]));
        return (org, hook);
    }

    [Fact]
    public async Task Each_alert_type_with_and_without_group_arrives_as_the_spec_JSON()
    {
        var (org, hook) = await ArrangeAllTypesAsync("json");

        var received = await fixture.Receiver.WaitForAsync(hook, 6);

        string[] expected =
        [
            """{ "type": "user.budget.exceeded_percent", "data": { "user_email": "alice@company.com", "limit": "100", "percentage_exceeded": "0.8" } }""",
            """{ "type": "user.budget.exceeded_percent", "data": { "user_email": "alice@company.com", "group_name": "Engineering", "limit": "50", "percentage_exceeded": "0.8" } }""",
            """{ "type": "user.budget.exceeded_absolute", "data": { "user_email": "alice@company.com", "absolute_exceeded": "50" } }""",
            """{ "type": "user.budget.exceeded_absolute", "data": { "user_email": "alice@company.com", "group_name": "Engineering", "absolute_exceeded": "50" } }""",
            """{ "type": "group.budget.exceeded_percent", "data": { "group_name": "Engineering", "group_admins": [ { "email": "admin@company.com" } ], "limit": "500", "percentage_exceeded": "0.9" } }""",
            $$"""{ "type": "org.balance.below_absolute", "data": { "org_id": "{{org}}", "balance_threshold": "100", "current_balance": "87.50" } }""",
        ];
        foreach (var json in expected)
            Assert.Single(received, r => JsonNode.DeepEquals(r.Json, JsonNode.Parse(json)));
        Assert.Equal(6, received.Count);
        Assert.All(received, r => Assert.StartsWith("application/json", r.Header("Content-Type")));

        var deliveries = await fixture.Api.WaitForDeliveriesAsync(org, l => l.All(d => (string)d!["status"]! == "delivered"), "all delivered");
        Assert.Equal(6, deliveries.Count);
    }

    [Fact]
    public async Task Slack_webhooks_get_the_spec_wording()
    {
        var (_, hook) = await ArrangeAllTypesAsync("slack");

        var texts = (await fixture.Receiver.WaitForAsync(hook, 6)).Select(r => (string)r.Json["text"]!).ToList();

        Assert.Equal(6, texts.Count);
        Assert.Contains("User Spend Threshold Exceeded — alice@company.com exceeded 80% of their $100 monthly limit", texts);
        Assert.Contains("User Spend Threshold Exceeded — alice@company.com exceeded 80% of their $50 monthly limit in group Engineering", texts);
        Assert.Contains("User Spend Threshold Exceeded — alice@company.com exceeded $50 spend threshold", texts);
        Assert.Contains("User Spend Threshold Exceeded — alice@company.com exceeded $50 spend threshold in group Engineering", texts);
        Assert.Contains("Group Spend Threshold Exceeded — Engineering exceeded 90% of the $500 monthly limit. Group admins: admin@company.com", texts);
        Assert.Contains("Organization Balance Alert — Organization balance has dropped below $100 threshold. Current balance: 87.50", texts);
    }

    [Fact]
    public async Task A_webhook_with_a_secret_signs_the_body_with_HMAC_SHA256()
    {
        const string secret = "whsec-test-secret-0123456789";
        var (_, hook) = await ArrangeAllTypesAsync("json", secret);

        var received = await fixture.Receiver.WaitForAsync(hook, 6);

        Assert.All(received, r =>
        {
            var timestamp = long.Parse(r.Header(WebhookSignature.TimestampHeader)!);
            Assert.Equal(WebhookSignature.Compute(secret, timestamp, r.Body), r.Header(WebhookSignature.SignatureHeader));
            Assert.NotNull(r.Header(WebhookSignature.DeliveryIdHeader));
        });
        Assert.Equal(6, received.Select(r => r.Header(WebhookSignature.DeliveryIdHeader)).Distinct().Count());
    }

    [Fact]
    public async Task Rules_without_a_webhook_fire_but_deliver_nothing()
    {
        var org = Guid.NewGuid();
        var user = Guid.NewGuid();
        fixture.Management.Budgets(org).User(user, "bob@company.com", null);
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 1);

        await fixture.PublishAsync(RequestCompletedSamples.Create(org, 5m, MidMarch, userId: user));
        await fixture.Api.WaitForRequestCountAsync(org, "2025-03", 1);

        Assert.Empty(await fixture.Api.GetDeliveriesAsync(org));
    }
}
