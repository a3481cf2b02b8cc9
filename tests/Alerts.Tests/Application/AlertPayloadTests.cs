using System.Text.Json.Nodes;
using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Tests.Application;

public sealed class AlertPayloadTests
{
    private static void AssertJson(string expected, JsonObject actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public void User_percent_payloads_match_the_spec_with_and_without_group()
    {
        AssertJson("""{ "type": "user.budget.exceeded_percent", "data": { "user_email": "alice@company.com", "limit": "100", "percentage_exceeded": "0.8" } }""",
            AlertPayloads.UserPercent("alice@company.com", null, 100.00m, 80m));
        AssertJson("""{ "type": "user.budget.exceeded_percent", "data": { "user_email": "alice@company.com", "group_name": "Engineering", "limit": "50", "percentage_exceeded": "0.8" } }""",
            AlertPayloads.UserPercent("alice@company.com", "Engineering", 50m, 80m));
    }

    [Fact]
    public void Amounts_are_strings_without_trailing_zeros_and_balances_keep_cents()
    {
        var payload = AlertPayloads.OrgBalance(Guid.Empty, 100.000m, 87.5m);

        Assert.Equal("100", (string)payload["data"]!["balance_threshold"]!);
        Assert.Equal("87.50", (string)payload["data"]!["current_balance"]!);
        Assert.Equal("12.345", Money.Balance(12.345m));
        Assert.Equal("0.125", (string)AlertPayloads.UserPercent("a@b.c", null, 10m, 12.5m)["data"]!["percentage_exceeded"]!);
    }

    [Fact]
    public void Slack_wording_follows_the_spec()
    {
        Assert.Equal("User Spend Threshold Exceeded — alice@company.com exceeded 80% of their $100 monthly limit",
            SlackMessages.Text(AlertPayloads.UserPercent("alice@company.com", null, 100m, 80m)));
        Assert.Equal("User Spend Threshold Exceeded — alice@company.com exceeded $50 spend threshold in group Engineering",
            SlackMessages.Text(AlertPayloads.UserAbsolute("alice@company.com", "Engineering", 50m)));
        Assert.Equal("Group Spend Threshold Exceeded — Engineering exceeded 90% of the $500 monthly limit. Group admins: admin@company.com, cfo@company.com",
            SlackMessages.Text(AlertPayloads.GroupPercent("Engineering", ["admin@company.com", "cfo@company.com"], 500m, 90m)));
        Assert.Equal("Organization Balance Alert — Organization balance has dropped below $100 threshold. Current balance: 87.50",
            SlackMessages.Text(AlertPayloads.OrgBalance(Guid.NewGuid(), 100m, 87.5m)));
    }

    [Theory]
    [InlineData("user.budget.exceeded_percent", 0, false)]
    [InlineData("user.budget.exceeded_percent", 1, true)]
    [InlineData("group.budget.exceeded_percent", 100, true)]
    [InlineData("group.budget.exceeded_percent", 100.5, false)]
    [InlineData("user.budget.exceeded_absolute", 0.01, true)]
    [InlineData("org.balance.below_absolute", 0, false)]
    public void Thresholds_are_validated_by_unit(string type, decimal threshold, bool valid)
    {
        Assert.Equal(valid, AlertTypes.ValidateThreshold(type, threshold) is null);
    }
}
