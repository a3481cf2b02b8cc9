using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Spend;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Spend;

/// <summary>GET/PATCH /v1/manage/org, credits, the balance and the prepaid block (one organisation per class).</summary>
public sealed class OrganizationBalanceTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Settings_are_patched_field_by_field_with_validation_and_if_match()
    {
        using var client = fixture.Client();
        var before = await client.GetAsync("v1/manage/org");
        var org = await before.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(fixture.OrganizationName, org["name"]!.GetValue<string>());
        Assert.Equal("postpaid", org["billing_mode"]!.GetValue<string>());
        Assert.Null(org["default_model"]);
        Assert.Null(org["default_user_monthly_limit"]);
        Assert.NotNull(org["balance"]);
        Assert.NotNull(org["spend_this_month"]);
        var etag = before.Headers.ETag!.Tag;

        var patched = await (await client.PatchAsJsonAsync("v1/manage/org", new { default_model = "openai/gpt-4o-mini", default_user_monthly_limit = 25.5m }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("openai/gpt-4o-mini", patched["default_model"]!.GetValue<string>());
        Assert.Equal(25.5m, patched["default_user_monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(fixture.OrganizationName, patched["name"]!.GetValue<string>());

        var cleared = await (await client.PatchAsJsonAsync("v1/manage/org", new { default_model = (string?)null })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["default_model"]);
        Assert.Equal(25.5m, cleared["default_user_monthly_limit"]!.GetValue<decimal>());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, "v1/manage/org") { Content = JsonContent.Create(new { name = "Renamed" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await client.SendAsync(stale)).ReadProblemAsync(HttpStatusCode.Conflict);

        var invalid = await (await client.PatchAsJsonAsync("v1/manage/org", new { billing_mode = "monthly", name = "" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]!["billing_mode"]);
        Assert.NotNull(invalid["errors"]!["name"]);
        var badCredits = await (await client.PostAsJsonAsync("v1/manage/org/credits", new { amount_usd = 0 })).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badCredits["errors"]!["amount_usd"]);

        var readOnly = (await client.CreateKeyAsync(new { name = "reader", permissions = new[] { "manage_read" } }))["key"]!.GetValue<string>();
        using var reader = fixture.Client(readOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PatchAsJsonAsync("v1/manage/org", new { name = "Nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("v1/manage/org/credits", new { amount_usd = 5 })).StatusCode);
    }

    [Fact]
    public async Task A_postpaid_organisation_goes_negative_unblocked_and_a_prepaid_one_is_blocked_until_topped_up()
    {
        await using var reached = await EventProbe<SpendLimitReached>.StartAsync();
        await using var cleared = await EventProbe<SpendLimitCleared>.StartAsync();
        using var client = fixture.Client();
        var org = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        var organizationId = org["id"]!.GetValue<Guid>();
        var startBalance = org["balance"]!.GetValue<decimal>();

        var credited = await (await client.PostAsJsonAsync("v1/manage/org/credits", new { amount_usd = 1m, note = "welcome" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(startBalance + 1m, credited["balance"]!.GetValue<decimal>());

        // Postpaid: spending past the credits makes the balance negative and blocks nothing.
        await SpendAsync(organizationId, 2.5m);
        var negative = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(startBalance - 1.5m, negative["balance"]!.GetValue<decimal>());
        Assert.Equal(0, await fixture.Host.Services.GetRequiredService<SpendLimitEvaluator>()
            .EvaluateAsync(organizationId, [new SpendScope(SpendScopes.Organization, organizationId)], default));
        Assert.Null(await OrganizationBlockAsync(organizationId));

        // Prepaid with a balance <= 0: blocked at once.
        var prepaid = await (await client.PatchAsJsonAsync("v1/manage/org", new { billing_mode = "prepaid" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("prepaid", prepaid["billing_mode"]!.GetValue<string>());
        var block = await reached.WaitForAsync(e => e.ScopeId == organizationId, Timeout);
        Assert.Equal(SpendScopes.Organization, block.Scope);
        Assert.NotNull(await OrganizationBlockAsync(organizationId));

        // A top-up above the spend clears it.
        var toppedUp = await (await client.PostAsJsonAsync("v1/manage/org/credits", new { amount_usd = 10m - startBalance })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(8.5m, toppedUp["balance"]!.GetValue<decimal>());
        var lift = await cleared.WaitForAsync(e => e.ScopeId == organizationId, Timeout);
        Assert.True(lift.Version > block.Version);
        Assert.Null(await OrganizationBlockAsync(organizationId));

        // Spending the balance down to zero blocks it again.
        await SpendAsync(organizationId, 8.5m);
        await reached.WaitForAsync(e => e.ScopeId == organizationId && e.Version > lift.Version, Timeout);
        Assert.Equal(0m, (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["balance"]!.GetValue<decimal>());

        await Rebuilding_gives_the_same_rows(organizationId);
    }

    private async Task Rebuilding_gives_the_same_rows(Guid organizationId)
    {
        // Only this feature's projections: a full rebuild of the shared test database would hold the append lock for long.
        var rebuilder = new ProjectionRebuilder(fixture.Database, [new OrganizationProjection(), new SpendBlockProjection()], NullLogger<ProjectionRebuilder>.Instance);
        var before = await RowsAsync(organizationId);
        await rebuilder.RebuildAsync(default);
        Assert.Equal(before, await RowsAsync(organizationId));
    }

    private async Task<string> RowsAsync(Guid organizationId)
    {
        await using var command = fixture.Database.CreateCommand("""
            SELECT (SELECT row_to_json(o)::text FROM management.organizations o WHERE id = @org) || ' ' ||
                   coalesce((SELECT string_agg(row_to_json(b)::text, ',' ORDER BY scope, scope_id) FROM management.spend_blocks b WHERE organization_id = @org), '')
            """);
        command.Parameters.AddWithValue("org", organizationId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task SpendAsync(Guid organizationId, decimal cost)
    {
        var request = RequestCompletedSamples.Create(organizationId, cost);
        await fixture.Host.Services.GetRequiredService<IBus>().Publish(request);
        await Eventually.GetAsync(async () =>
        {
            await using var command = fixture.Database.CreateCommand("SELECT count(*) FROM management.processed_requests WHERE request_id = @id");
            command.Parameters.AddWithValue("id", request.RequestId);
            return (long)(await command.ExecuteScalarAsync())! == 1 ? "recorded" : null;
        }, Timeout, "the spend to be recorded");
    }

    private async Task<DateTime?> OrganizationBlockAsync(Guid organizationId)
    {
        await using var command = fixture.Database.CreateCommand("SELECT month FROM management.spend_blocks WHERE scope = 'organization' AND scope_id = @id");
        command.Parameters.AddWithValue("id", organizationId);
        return await command.ExecuteScalarAsync() switch
        {
            DateOnly day => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            DateTime month => month,
            _ => null,
        };
    }
}
