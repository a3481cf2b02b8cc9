using System.Net;
using System.Text.Json;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class AlertsApiTests(AlertsServiceFixture fixture)
{
    [Fact]
    public async Task Rules_can_be_created_listed_and_deleted_per_organization()
    {
        var org = Guid.NewGuid();
        var other = Guid.NewGuid();
        var percent = await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_percent", 80);
        await fixture.Api.CreateRuleAsync(org, "org.balance.below_absolute", 12.5m);
        await fixture.Api.CreateRuleAsync(other, "group.budget.exceeded_percent", 90);

        var list = (await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/rules?org_id={org}"))["data"]!.AsArray();
        Assert.Equal(2, list.Count);
        var rule = list.Single(r => (Guid)r!["id"]! == percent)!;
        Assert.Equal("user.budget.exceeded_percent", (string)rule["type"]!);
        Assert.Equal(80m, (decimal)rule["threshold"]!);
        Assert.Equal("percent", (string)rule["unit"]!);
        Assert.Equal(12.5m, (decimal)list.Single(r => (string)r!["type"]! == "org.balance.below_absolute")!["threshold"]!);

        using (var wrongOrg = await fixture.Api.SendAsync(HttpMethod.Delete, $"v1/alerts/rules/{percent}?org_id={other}"))
            Assert.Equal(HttpStatusCode.NotFound, wrongOrg.StatusCode);
        using (var deleted = await fixture.Api.SendAsync(HttpMethod.Delete, $"v1/alerts/rules/{percent}?org_id={org}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Single((await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/rules?org_id={org}"))["data"]!.AsArray());
    }

    [Theory]
    [InlineData("user.budget.exceeded_percent", "0", "threshold")]
    [InlineData("group.budget.exceeded_percent", "101", "threshold")]
    [InlineData("user.budget.exceeded_absolute", "0", "threshold")]
    [InlineData("org.balance.below_absolute", "-5", "threshold")]
    [InlineData("user.budget.exceeded_everything", "5", "type")]
    public async Task Invalid_rules_answer_field_level_problem_details(string type, string threshold, string field)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Post, $"v1/alerts/rules?org_id={Guid.NewGuid()}",
            new { type, threshold = decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture) });

        await AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_duplicate_rule_is_a_conflict()
    {
        var org = Guid.NewGuid();
        await fixture.Api.CreateRuleAsync(org, "user.budget.exceeded_absolute", 50);

        using var response = await fixture.Api.SendAsync(HttpMethod.Post, $"v1/alerts/rules?org_id={org}",
            new { type = "user.budget.exceeded_absolute", threshold = 50.00m });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Rules_need_an_organization_and_the_internal_token()
    {
        using (var response = await fixture.Api.SendAsync(HttpMethod.Get, "v1/alerts/rules"))
            await AssertFieldErrorAsync(response, "org_id");
        using var anonymous = await fixture.Client.GetAsync($"v1/alerts/rules?org_id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_webhook_is_stored_per_organization_and_never_returns_its_secret()
    {
        var org = Guid.NewGuid();
        using (var missing = await fixture.Api.SendAsync(HttpMethod.Get, $"v1/alerts/webhook?org_id={org}"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await fixture.Api.PutWebhookAsync(org, "slack", "https://hooks.example.com/services/T0/B0/x", "a-very-secret-signing-key");
        await fixture.Api.PutWebhookAsync(org, "json", "https://alerts.example.com/requesty", "a-very-secret-signing-key");

        var webhook = await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/webhook?org_id={org}");
        Assert.Equal("json", (string)webhook["type"]!);
        Assert.Equal("https://alerts.example.com/requesty", (string)webhook["url"]!);
        Assert.True((bool)webhook["signed"]!);
        Assert.DoesNotContain("a-very-secret-signing-key", webhook.ToJsonString());
    }

    [Theory]
    [InlineData("json", "ftp://example.com/hook", "url")]
    [InlineData("json", "not a url", "url")]
    [InlineData("json", "https://user:pw@example.com/hook", "url")]
    [InlineData("teams", "https://example.com/hook", "type")]
    public async Task Invalid_webhooks_answer_field_level_problem_details(string type, string url, string field)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Put, $"v1/alerts/webhook?org_id={Guid.NewGuid()}", new { type, url });

        await AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task Swagger_documents_the_alert_endpoints()
    {
        var paths = await OpenApiDocument.PathsAsync(fixture.Client);

        foreach (var path in new[] { "/v1/alerts/rules", "/v1/alerts/rules/{id}", "/v1/alerts/webhook", "/v1/alerts/deliveries", "/v1/alerts/budgets", "/v1/alerts/spend" })
            Assert.True(paths.ContainsKey(path), $"{path} missing from Swagger");
    }

    [Fact]
    public async Task Budgets_are_shown_read_only_as_management_serves_them()
    {
        var org = Guid.NewGuid();
        var (alice, bob, engineering) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        fixture.Management.Budgets(org, balance: 12.50m, defaultUserMonthlyLimit: 10m)
            .User(alice, "alice@company.com", 5m)
            .User(bob, "bob@company.com", null)
            .Group(engineering, "Engineering", 100m);

        var budgets = await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/budgets?org_id={org}");

        Assert.True((bool)budgets["known"]!);
        Assert.Equal("prepaid", (string)budgets["billing_mode"]!);
        Assert.Equal(12.5m, (decimal)budgets["balance_usd"]!);
        Assert.Equal(12.5m, (decimal)budgets["alert_balance_usd"]!);
        var users = budgets["users"]!.AsArray();
        Assert.Equal(5m, (decimal)users.Single(u => (string)u!["email"]! == "alice@company.com")!["monthly_limit"]!);
        var bobRow = users.Single(u => (string)u!["email"]! == "bob@company.com")!;
        Assert.Null(bobRow["monthly_limit"]);
        Assert.Equal(10m, (decimal)budgets["default_user_monthly_limit"]!);
        Assert.Equal(100m, (decimal)Assert.Single(budgets["groups"]!.AsArray())!["monthly_budget"]!);

        var unknown = await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/budgets?org_id={Guid.NewGuid()}");
        Assert.False((bool)unknown["known"]!);

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Post })
        {
            using var write = await fixture.Api.SendAsync(method, $"v1/alerts/budgets?org_id={org}", new { balance_usd = 1 });
            Assert.Equal(HttpStatusCode.MethodNotAllowed, write.StatusCode);
        }
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }
}
