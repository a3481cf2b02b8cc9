using System.Net;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>Gateway API keys resolved at management: manage_read to read, manage_write and the admin role to change.</summary>
[Collection(AlertsServiceCollection.Name)]
public sealed class ApiKeyAuthTests(AlertsServiceFixture fixture)
{
    [Fact]
    public async Task An_admin_key_with_manage_write_manages_its_own_organization_without_org_id()
    {
        var org = Guid.NewGuid();
        var admin = fixture.Management.AddKey(org, "admin", "manage_read", "manage_write");

        using (var created = await fixture.Api.SendAsAsync(admin, HttpMethod.Post, "v1/alerts/rules", new { type = "user.budget.exceeded_absolute", threshold = 5 }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var webhook = await fixture.Api.SendAsAsync(admin, HttpMethod.Put, "v1/alerts/webhook", new { type = "json", url = "https://alerts.example.com/hook" }))
            Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        // The rule landed in the key's organization (seen with the internal token).
        var rules = (await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/rules?org_id={org}"))["data"]!.AsArray();
        Assert.Single(rules);
        foreach (var uri in new[] { "v1/alerts/rules", "v1/alerts/webhook", "v1/alerts/deliveries", "v1/alerts/spend", "v1/alerts/budgets", $"v1/alerts/rules?org_id={org}" })
        {
            using var read = await fixture.Api.SendAsAsync(admin, HttpMethod.Get, uri);
            Assert.True(read.IsSuccessStatusCode, $"{uri} answered {(int)read.StatusCode}");
        }
    }

    [Fact]
    public async Task Members_may_read_rules_but_change_nothing_and_see_no_webhook()
    {
        var org = Guid.NewGuid();
        var member = fixture.Management.AddKey(org, "member", "manage_read", "manage_write");
        var readOnlyAdmin = fixture.Management.AddKey(org, "admin", "manage_read");

        using (var list = await fixture.Api.SendAsAsync(member, HttpMethod.Get, "v1/alerts/rules"))
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        foreach (var key in new[] { member, readOnlyAdmin })
        {
            using var create = await fixture.Api.SendAsAsync(key, HttpMethod.Post, "v1/alerts/rules", new { type = "user.budget.exceeded_absolute", threshold = 5 });
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            using var webhook = await fixture.Api.SendAsAsync(key, HttpMethod.Put, "v1/alerts/webhook", new { type = "json", url = "https://alerts.example.com/hook" });
            Assert.Equal(HttpStatusCode.Forbidden, webhook.StatusCode);
        }
        using (var hook = await fixture.Api.SendAsAsync(member, HttpMethod.Get, "v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.Forbidden, hook.StatusCode);
        using (var hook = await fixture.Api.SendAsAsync(readOnlyAdmin, HttpMethod.Get, "v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NotFound, hook.StatusCode); // allowed; the organization simply has none
        Assert.Empty((await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/rules?org_id={org}"))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_key_without_manage_permissions_is_forbidden_and_an_unknown_key_is_unauthorized()
    {
        var chatOnly = fixture.Management.AddKey(Guid.NewGuid(), "admin", "chat");

        using (var forbidden = await fixture.Api.SendAsAsync(chatOnly, HttpMethod.Get, "v1/alerts/rules"))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var unknown = await fixture.Api.SendAsAsync("rqsty-sk-not-a-real-key", HttpMethod.Get, "v1/alerts/rules");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", unknown.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Another_organizations_ids_are_not_found()
    {
        var (mine, theirs) = (Guid.NewGuid(), Guid.NewGuid());
        var admin = fixture.Management.AddKey(mine, "admin", "manage_write");
        var theirRule = await fixture.Api.CreateRuleAsync(theirs, "user.budget.exceeded_absolute", 7);

        using (var delete = await fixture.Api.SendAsAsync(admin, HttpMethod.Delete, $"v1/alerts/rules/{theirRule}"))
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using (var list = await fixture.Api.SendAsAsync(admin, HttpMethod.Get, $"v1/alerts/rules?org_id={theirs}"))
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        using (var spend = await fixture.Api.SendAsAsync(admin, HttpMethod.Get, $"v1/alerts/spend?org_id={theirs}"))
            Assert.Equal(HttpStatusCode.NotFound, spend.StatusCode);
        using (var create = await fixture.Api.SendAsAsync(admin, HttpMethod.Post, "v1/alerts/rules",
                   new { type = "user.budget.exceeded_absolute", threshold = 9, org_id = theirs }))
            Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Single((await fixture.Api.SendOkAsync(HttpMethod.Get, $"v1/alerts/rules?org_id={theirs}"))["data"]!.AsArray());
    }
}
