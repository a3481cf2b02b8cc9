using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Alerts;

/// <summary>
/// A user's monthly limit set through management reaches alerts (no copy kept there): a request through the
/// router by that user's key crosses the 50% rule, and a real webhook receiver gets exactly one JSON alert naming
/// the user's email as management holds it. Alerts is authenticated with the admin API key (role from management).
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class UserBudgetAlertEndToEndTests(SuiteFixture suite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_user_limit_set_in_management_fires_one_alert_when_router_traffic_crosses_it()
    {
        var received = new ConcurrentQueue<JsonNode>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            received.Enqueue((await JsonNode.ParseAsync(request.Body))!);
            return Results.Ok();
        });
        await receiver.StartAsync();
        var hookUrl = receiver.Urls.First() + "/hook";

        using var admin = suite.Client(suite.Management, suite.AdminKey);
        var email = $"budget-{Guid.NewGuid():N}@example.test";
        var user = await ReadCreated(await admin.PostAsJsonAsync("v1/manage/user", new { email, role = "member", monthly_limit = 0.000001m }));
        var key = await ReadCreated(await admin.PostAsJsonAsync("v1/manage/apikey",
            new { name = "e2e-alert-user", permissions = new[] { "chat" }, user_id = user["id"]!.GetValue<Guid>() }));

        using var alertsAdmin = suite.Client(suite.Alerts, suite.AdminKey);
        Assert.True((await alertsAdmin.PutAsJsonAsync("v1/alerts/webhook", new { type = "json", url = hookUrl })).IsSuccessStatusCode);
        Assert.True((await alertsAdmin.PostAsJsonAsync("v1/alerts/rules", new { type = "user.budget.exceeded_percent", threshold = 50 })).IsSuccessStatusCode);

        using var client = suite.Client(suite.Router, key["key"]!.GetValue<string>());
        await Eventually.GetAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("v1/chat/completions",
                new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = "Spend a little" } } });
            return response.StatusCode == HttpStatusCode.OK ? "served" : null;
        }, Timeout, "the user's key to be served by the router");

        try
        {
            await Eventually.GetAsync(() => Task.FromResult(received.IsEmpty ? null : "delivered"), Timeout, "the alert to reach the webhook");
        }
        catch (TimeoutException)
        {
            var budgets = await alertsAdmin.GetStringAsync("v1/alerts/budgets");
            var spend = await (await alertsAdmin.GetAsync("v1/alerts/spend")).Content.ReadAsStringAsync();
            var deliveries = await (await alertsAdmin.GetAsync("v1/alerts/deliveries")).Content.ReadAsStringAsync();
            var rules = await (await alertsAdmin.GetAsync("v1/alerts/rules")).Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException($"user {user}\nbudgets {budgets}\nspend {spend}\ndeliveries {deliveries}\nrules {rules}");
        }
        var alert = Assert.Single(received);
        Assert.Equal("user.budget.exceeded_percent", alert["type"]!.GetValue<string>());
        Assert.Equal(email, alert["data"]!["user_email"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ReadCreated(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
