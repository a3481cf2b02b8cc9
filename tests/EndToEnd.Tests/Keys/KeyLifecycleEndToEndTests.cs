using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Keys;

/// <summary>
/// A key's life across the suite: created through management, used through the router, its spend visible in
/// the key's usage (management asking the real analytics over ClickHouse), then an expiry set through
/// management makes the router refuse it, and the expiry can no longer be lifted.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class KeyLifecycleEndToEndTests(SuiteFixture suite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Usage_of_a_key_shows_its_spend_and_an_expired_key_is_refused_by_the_router()
    {
        using var admin = suite.Client(suite.Management, suite.AdminKey);
        using var created = await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "e2e-lifecycle", permissions = new[] { "chat" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var keyId = key["id"]!.GetValue<string>();
        using var router = suite.Client(suite.Router, key["key"]!.GetValue<string>());

        using (var used = await router.PostAsJsonAsync("v1/chat/completions", Chat("Spend something")))
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);

        var now = DateTime.UtcNow;
        var range = $"start={Iso(now.AddHours(-1))}&end={Iso(now.AddHours(1))}&period=hour&group_by=model";
        var usage = await Eventually.GetAsync(async () =>
        {
            var details = JsonNode.Parse(await admin.GetStringAsync($"v1/manage/apikey/{keyId}?{range}"))!;
            var totals = details["usage"]?["totals"];
            return totals is not null && totals["requests"]!.GetValue<ulong>() >= 1 ? details["usage"] : null;
        }, Timeout, "the key's usage from analytics");
        Assert.Equal("hour", usage["period"]!.GetValue<string>());
        Assert.Equal(1UL, usage["totals"]!["requests"]!.GetValue<ulong>());
        var cost = usage["totals"]!["cost"]!.GetValue<decimal>();
        Assert.True(cost > 0m);
        Assert.True(usage["totals"]!["input_tokens"]!.GetValue<ulong>() > 0);
        var period = Assert.Single(usage["periods"]!.AsArray());
        Assert.Equal(cost, period!["cost"]!.GetValue<decimal>());
        var group = Assert.Single(usage["groups"]!.AsArray());
        Assert.Equal("openai/gpt-4o-mini", group!["group"]!.GetValue<string>());

        // The expiry must lie in the future when it is set; a few seconds later the key has expired.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        using (var expiry = await admin.PostAsJsonAsync($"v1/manage/apikey/{keyId}/expiry", new { expires_at = expiresAt }))
            Assert.Equal(HttpStatusCode.OK, expiry.StatusCode);

        var refused = await Eventually.GetAsync(async () =>
        {
            using var response = await router.PostAsJsonAsync("v1/chat/completions", Chat("After the expiry"));
            return response.StatusCode == HttpStatusCode.Unauthorized ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }, Timeout, "the expired key to be refused");
        Assert.True(DateTimeOffset.UtcNow >= expiresAt);
        Assert.Equal("expired_api_key", refused["error"]!["code"]!.GetValue<string>());

        // An expired key stays expired.
        using var lift = await admin.PostAsJsonAsync($"v1/manage/apikey/{keyId}/expiry", new { expires_at = (DateTimeOffset?)null });
        Assert.Equal(HttpStatusCode.Conflict, lift.StatusCode);
        using (var stillRefused = await router.PostAsJsonAsync("v1/chat/completions", Chat("Still expired")))
            Assert.Equal(HttpStatusCode.Unauthorized, stillRefused.StatusCode);
    }

    private static object Chat(string text) => new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = text } } };

    private static string Iso(DateTime value) => Uri.EscapeDataString(value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
