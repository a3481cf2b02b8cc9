using System.Text.Json.Nodes;

namespace Requesty.Alerts.Application.Alerts;

/// <summary>The JSON webhook bodies of the spec, field by field (numbers are strings, group fields optional).</summary>
public static class AlertPayloads
{
    public static JsonObject UserPercent(string userEmail, string? groupName, decimal limitUsd, decimal thresholdPercent)
    {
        var data = new JsonObject { ["user_email"] = userEmail };
        if (groupName is not null) data["group_name"] = groupName;
        data["limit"] = Money.Plain(limitUsd);
        data["percentage_exceeded"] = Money.Plain(thresholdPercent / 100m);
        return Envelope(AlertTypes.UserBudgetPercent, data);
    }

    public static JsonObject UserAbsolute(string userEmail, string? groupName, decimal thresholdUsd)
    {
        var data = new JsonObject { ["user_email"] = userEmail };
        if (groupName is not null) data["group_name"] = groupName;
        data["absolute_exceeded"] = Money.Plain(thresholdUsd);
        return Envelope(AlertTypes.UserAbsolute, data);
    }

    public static JsonObject GroupPercent(string groupName, IEnumerable<string> adminEmails, decimal limitUsd, decimal thresholdPercent) =>
        Envelope(AlertTypes.GroupBudgetPercent, new JsonObject
        {
            ["group_name"] = groupName,
            ["group_admins"] = new JsonArray(adminEmails.Select(e => (JsonNode)new JsonObject { ["email"] = e }).ToArray()),
            ["limit"] = Money.Plain(limitUsd),
            ["percentage_exceeded"] = Money.Plain(thresholdPercent / 100m),
        });

    public static JsonObject OrgBalance(Guid organizationId, decimal thresholdUsd, decimal currentBalance) =>
        Envelope(AlertTypes.OrgBalanceBelow, new JsonObject
        {
            ["org_id"] = organizationId.ToString(),
            ["balance_threshold"] = Money.Plain(thresholdUsd),
            ["current_balance"] = Money.Balance(currentBalance),
        });

    private static JsonObject Envelope(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data };
}
