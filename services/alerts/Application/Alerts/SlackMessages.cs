using System.Globalization;
using System.Text.Json.Nodes;

namespace Requesty.Alerts.Application.Alerts;

/// <summary>Renders a stored JSON alert payload as the spec's Slack wording.</summary>
public static class SlackMessages
{
    public static JsonObject Render(JsonObject payload) => new() { ["text"] = Text(payload) };

    public static string Text(JsonObject payload)
    {
        var type = (string)payload["type"]!;
        var data = payload["data"]!.AsObject();
        string? Field(string name) => data[name]?.GetValue<string>();
        var inGroup = Field("group_name") is { } group ? $" in group {group}" : "";

        return type switch
        {
            AlertTypes.UserBudgetPercent =>
                $"User Spend Threshold Exceeded — {Field("user_email")} exceeded {Percent(Field("percentage_exceeded"))}% of their ${Field("limit")} monthly limit{inGroup}",
            AlertTypes.UserAbsolute =>
                $"User Spend Threshold Exceeded — {Field("user_email")} exceeded ${Field("absolute_exceeded")} spend threshold{inGroup}",
            AlertTypes.GroupBudgetPercent =>
                $"Group Spend Threshold Exceeded — {Field("group_name")} exceeded {Percent(Field("percentage_exceeded"))}% of the ${Field("limit")} monthly limit"
                + Admins(data["group_admins"]?.AsArray()),
            AlertTypes.OrgBalanceBelow =>
                $"Organization Balance Alert — Organization balance has dropped below ${Field("balance_threshold")} threshold. Current balance: {Field("current_balance")}",
            _ => throw new ArgumentException($"Unknown alert type '{type}'.", nameof(payload)),
        };
    }

    private static string Percent(string? fraction) =>
        Money.Plain(decimal.Parse(fraction ?? "0", CultureInfo.InvariantCulture) * 100m);

    private static string Admins(JsonArray? admins)
    {
        var emails = admins?.Select(a => a?["email"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        return emails.Count == 0 ? "" : $". Group admins: {string.Join(", ", emails)}";
    }
}
