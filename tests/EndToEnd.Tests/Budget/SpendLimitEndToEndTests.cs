using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Router;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Budget;

/// <summary>
/// A key with a tiny monthly limit, used through a router until management (real spend ledger, real outbox)
/// publishes the block: the next request is refused with 429 insufficient_quota, a zero-cost model still
/// works, and raising the limit through the management API lets the key through again.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class SpendLimitEndToEndTests(SuiteFixture suite)
{
    private const string FreeModel = "openai/e2e-free-model";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_key_over_its_limit_is_refused_until_the_limit_is_raised_while_zero_cost_models_keep_working()
    {
        // The suite's router plus one model without prices; it shares the suite's management, simulator and bus.
        using var journal = new TemporaryDirectory("e2e-budget-journal-");
        await using var router = await ServiceHost.StartAsync(RouterApp.Build, TestServers.ServiceArgs(
            $"--Management:Url={suite.Management.BaseAddress}",
            $"--Analytics:Url={suite.Analytics.BaseAddress}",
            $"--Simulator:Url={suite.Simulator.BaseAddress}",
            $"--Journal:Directory={journal.Path}",
            $"--Providers:openai:Models:0={FreeModel["openai/".Length..]}"));
        using (var probe = router.CreateClient())
            await Eventually.GetAsync(async () => (await probe.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null, Timeout, "router ready");

        using var admin = suite.Client(suite.Management, suite.AdminKey);
        using var created = await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "e2e-budget", permissions = new[] { "chat" }, monthly_limit = 0.000001m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var keyId = key["id"]!.GetValue<string>();
        using var client = suite.Client(router, key["key"]!.GetValue<string>());

        var accepted = 0;
        var refused = await Eventually.GetAsync(async () =>
        {
            var response = await client.PostAsJsonAsync("v1/chat/completions", Chat("openai/gpt-4o-mini"));
            if (response.StatusCode == HttpStatusCode.OK) accepted++;
            return response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }, Timeout, "the key to be refused once over its limit");

        Assert.True(accepted >= 1);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("insufficient_quota", error["type"]!.GetValue<string>());
        Assert.Equal("insufficient_quota", error["code"]!.GetValue<string>());
        var spend = JsonNode.Parse(await admin.GetStringAsync($"v1/manage/apikey/{keyId}"))!["spend_this_month"]!.GetValue<decimal>();
        Assert.True(spend >= 0.000001m);

        using var free = await client.PostAsJsonAsync("v1/chat/completions", Chat(FreeModel));
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);

        using var raised = await admin.PostAsJsonAsync($"v1/manage/apikey/{keyId}/limit", new { monthly_limit = 100m });
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var again = await Eventually.GetAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("v1/chat/completions", Chat("openai/gpt-4o-mini"));
            return response.StatusCode == HttpStatusCode.OK ? "accepted" : null;
        }, Timeout, "the key to be accepted after the limit was raised");
        Assert.Equal("accepted", again);
    }

    private static object Chat(string model) => new { model, messages = new[] { new { role = "user", content = "Spend a little" } } };
}
