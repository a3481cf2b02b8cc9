using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Internal;

/// <summary>GET /internal/orgs/{id}/budgets: what alerts evaluates thresholds against, straight from the read models.</summary>
public sealed class InternalBudgetsApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Serves_user_limits_group_budgets_and_the_balance_as_exact_strings()
    {
        using var admin = fixture.Client();
        var organization = await (await admin.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        var organizationId = organization.Id();
        await (await admin.PatchAsJsonAsync("v1/manage/org", new { billing_mode = "prepaid", default_user_monthly_limit = 10m })).ReadJsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync("v1/manage/org/credits", new { amount_usd = 12.345m })).ReadJsonAsync(HttpStatusCode.OK);
        var limited = await admin.CreateUserAsync(extra: new { monthly_limit = 5.25m });
        var unlimited = await admin.CreateUserAsync(extra: new { monthly_limit = (decimal?)null });
        var group = await (await admin.PostAsJsonAsync("v1/manage/group", new { name = "eng " + Guid.NewGuid().ToString("N")[..6], monthly_budget = 100.5m, member_monthly_limit = 7.5m }))
            .ReadJsonAsync(HttpStatusCode.Created);

        var groupAdmin = await admin.CreateUserAsync(email: "Zed-" + IdentityHttp.UniqueEmail());
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = groupAdmin.Id(), role = "admin" })).ReadJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = limited.Id(), role = "member" })).ReadJsonAsync(HttpStatusCode.Created);

        using var internalClient = InternalClient();
        var budgets = await (await internalClient.GetAsync($"internal/orgs/{organizationId}/budgets")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(organizationId, budgets.Id("organization_id"));
        Assert.Equal("prepaid", budgets["billing_mode"]!.GetValue<string>());
        Assert.Equal("12.345", budgets["balance_usd"]!.GetValue<string>());
        Assert.Equal("10", budgets["default_user_monthly_limit"]!.GetValue<string>());
        var users = budgets["users"]!.AsArray();
        Assert.Equal("5.25", users.Single(u => u!.Id("user_id") == limited.Id())!["monthly_limit"]!.GetValue<string>());
        Assert.Null(users.Single(u => u!.Id("user_id") == unlimited.Id())!["monthly_limit"]);
        var groupBudget = budgets["groups"]!.AsArray().Single(g => g!.Id("group_id") == group.Id())!;
        Assert.Equal("100.5", groupBudget["monthly_budget"]!.GetValue<string>());
        Assert.Equal("7.5", groupBudget["member_monthly_limit"]!.GetValue<string>());
        Assert.Equal([groupAdmin["email"]!.GetValue<string>()], groupBudget["admin_emails"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task A_group_without_a_member_limit_serves_null_and_a_patch_sets_it()
    {
        using var admin = fixture.Client();
        var organizationId = (await (await admin.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK)).Id();
        var group = await admin.CreateGroupAsync();
        using var internalClient = InternalClient();
        async Task<System.Text.Json.Nodes.JsonNode> GroupBudgetAsync() =>
            (await (await internalClient.GetAsync($"internal/orgs/{organizationId}/budgets")).ReadJsonAsync(HttpStatusCode.OK))["groups"]!
                .AsArray().Single(g => g!.Id("group_id") == group.Id())!;

        var before = await GroupBudgetAsync();
        Assert.True(before.AsObject().ContainsKey("member_monthly_limit"));
        Assert.Null(before["member_monthly_limit"]);

        await (await admin.PatchAsJsonAsync($"v1/manage/group/{group.Id()}", new { member_monthly_limit = 20m })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("20", (await GroupBudgetAsync())["member_monthly_limit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_organisation_is_404_and_the_route_needs_the_internal_token()
    {
        using var internalClient = InternalClient();
        await (await internalClient.GetAsync($"internal/orgs/{Guid.NewGuid()}/budgets")).ReadProblemAsync(HttpStatusCode.NotFound);

        using var admin = fixture.Client();
        var organization = await (await admin.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        await (await admin.GetAsync($"internal/orgs/{organization.Id()}/budgets")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    private HttpClient InternalClient()
    {
        var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
        return client;
    }
}
