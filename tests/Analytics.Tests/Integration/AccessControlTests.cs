using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// Gateway API keys as credentials (resolved through a stub of management's /internal/keys/{sha256}):
/// manage_read required, admins see the organisation, members only their own user's rows, on every view.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class AccessControlTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime Start = new(2025, 7, 1, 10, 0, 0, DateTimeKind.Utc);
    private const string Range = "from=2025-07-01T00:00:00Z&to=2025-07-02T00:00:00Z";

    private sealed record Org(Guid Id, Guid Alice, Guid Bob, List<RequestCompleted> AliceEvents, List<RequestCompleted> BobEvents);

    private async Task<Org> SeedAsync()
    {
        var org = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        RequestCompleted Of(Guid user, int minute, decimal cost)
        {
            var e = Events.Completed(org, startedAt: Start.AddMinutes(minute), cost: cost);
            return e with { Caller = e.Caller with { UserId = user } };
        }
        List<RequestCompleted> aliceEvents = [Of(alice, 1, 1m), Of(alice, 2, 2m), Of(alice, 3, 3m)];
        List<RequestCompleted> bobEvents = [Of(bob, 4, 10m), Of(bob, 5, 20m)];
        await service.Writer.WriteAsync([.. aliceEvents, .. bobEvents], CancellationToken.None);
        return new Org(org, alice, bob, aliceEvents, bobEvents);
    }

    [Fact]
    public async Task Admin_keys_see_the_organisation_and_member_keys_only_their_own_rows()
    {
        var org = await SeedAsync();
        using var admin = service.CreateApiClient(service.Management.AddKey(org.Id, Guid.NewGuid(), ApiKeyRoles.Admin, "chat", "manage_read"));
        using var alice = service.CreateApiClient(service.Management.AddKey(org.Id, org.Alice, ApiKeyRoles.Member, "manage_read"));

        var adminSummary = await admin.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?{Range}");
        Assert.Equal(5, adminSummary.GetProperty("requests").GetInt32());
        Assert.Equal(36m, adminSummary.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(org.Id, adminSummary.GetProperty("org_id").GetGuid());

        var aliceSummary = await alice.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?{Range}&org_id={org.Id}");
        Assert.Equal(3, aliceSummary.GetProperty("requests").GetInt32());
        Assert.Equal(6m, aliceSummary.GetProperty("cost_usd").GetDecimal());

        var general = await alice.GetFromJsonAsync<JsonElement>($"v1/analytics/general?{Range}&group_by=user");
        Assert.Equal(3, general.GetProperty("totals").GetProperty("requests").GetInt32());
        Assert.Equal([org.Alice.ToString()], general.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("group").GetString()));

        using var query = await alice.PostAsJsonAsync("v1/analytics/query",
            new { metric = "cost", calculation = "sum", from = "2025-07-01T00:00:00Z", to = "2025-07-02T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(6m, (await query.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("series")[0].GetProperty("total").GetDecimal());

        var savings = await alice.GetFromJsonAsync<JsonElement>($"v1/analytics/savings?{Range}");
        Assert.Equal(3, savings.GetProperty("totals").GetProperty("requests").GetInt32());
        var tools = await alice.GetFromJsonAsync<JsonElement>($"v1/analytics/tools?{Range}");
        Assert.Equal(3, tools.GetProperty("tools")[0].GetProperty("requests").GetInt32());
        var sessions = await admin.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions?{Range}");
        var aliceSessions = await alice.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions?{Range}");
        Assert.True(aliceSessions.GetProperty("sessions").EnumerateArray().Sum(s => s.GetProperty("requests").GetInt32()) == 3,
            aliceSessions.ToString());
        Assert.Equal(5, sessions.GetProperty("sessions").EnumerateArray().Sum(s => s.GetProperty("requests").GetInt32()));

        using var own = await alice.GetAsync($"v1/analytics/requests/{org.AliceEvents[0].RequestId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var others = await alice.GetAsync($"v1/analytics/requests/{org.BobEvents[0].RequestId}");
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        using var asAdmin = await admin.GetAsync($"v1/analytics/requests/{org.BobEvents[0].RequestId}");
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public async Task Keys_without_manage_read_are_403_and_unknown_keys_401()
    {
        var org = Guid.NewGuid();
        using var chatOnly = service.CreateApiClient(service.Management.AddKey(org, Guid.NewGuid(), ApiKeyRoles.Admin, "chat"));
        using var unknown = service.CreateApiClient("rqy_never_issued");

        using var forbidden = await chatOnly.GetAsync($"v1/analytics/summary?{Range}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        using var unauthorized = await unknown.GetAsync($"v1/analytics/summary?{Range}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task A_key_cannot_read_another_organisation()
    {
        var org = await SeedAsync();
        using var stranger = service.CreateApiClient(service.Management.AddKey(Guid.NewGuid(), Guid.NewGuid(), ApiKeyRoles.Admin, "manage_read"));

        using var byQuery = await stranger.GetAsync($"v1/analytics/general?{Range}&org_id={org.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, byQuery.StatusCode);
        using var byBody = await stranger.PostAsJsonAsync("v1/analytics/query",
            new { org_id = org.Id, metric = "cost", from = "2025-07-01T00:00:00Z", to = "2025-07-02T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Forbidden, byBody.StatusCode);
        using var request = await stranger.GetAsync($"v1/analytics/requests/{org.AliceEvents[0].RequestId}");
        Assert.Equal(HttpStatusCode.NotFound, request.StatusCode);
        var ownOrg = await stranger.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?{Range}");
        Assert.Equal(0, ownOrg.GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task Service_callers_with_the_internal_token_still_name_the_organisation()
    {
        var org = await SeedAsync();
        using var api = service.CreateApiClient();
        var summary = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?{Range}&org_id={org.Id}");
        Assert.Equal(5, summary.GetProperty("requests").GetInt32());
        using var missing = await api.GetAsync($"v1/analytics/summary?{Range}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
