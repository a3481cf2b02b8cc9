using Microsoft.Extensions.DependencyInjection;
using Requesty.Contracts.Events;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Spend;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Spend;

public sealed class SpendLedgerTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Concurrent_redeliveries_count_each_request_once_for_every_scope_it_belongs_to()
    {
        var ledger = fixture.Host.Services.GetRequiredService<SpendLedger>();
        var (organization, key, user, project, group1, group2) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        RequestCompleted Request(decimal cost)
        {
            var sample = RequestCompletedSamples.Create(organization, cost, apiKeyId: key, userId: user, groupIds: [group1, group2, group1]);
            return sample with { Caller = sample.Caller with { ProjectId = project } };
        }
        var first = Request(1.25m);
        var second = Request(0.5m);

        var counted = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ledger.RecordAsync(i % 2 == 0 ? first : second, default)));

        Assert.Equal(2, counted.Count(c => c));
        var now = DateTime.UtcNow;
        foreach (var scope in new[]
        {
            new SpendScope(SpendScopes.ApiKey, key), new SpendScope(SpendScopes.User, user), new SpendScope(SpendScopes.Project, project),
            new SpendScope(SpendScopes.Group, group1), new SpendScope(SpendScopes.Group, group2), new SpendScope(SpendScopes.Organization, organization),
        })
        {
            Assert.Equal(1.75m, await ledger.ScopeMonthSpendAsync(scope, now, default));
        }
        Assert.Equal(1.75m, await ledger.OrganizationLifetimeSpendAsync(organization, default));
        Assert.Equal(4, await DeliveriesAsync(first.RequestId));
        Assert.Equal(4, await DeliveriesAsync(second.RequestId));
    }

    [Fact]
    public async Task Lifetime_spend_adds_every_month_while_monthly_spend_is_per_calendar_month()
    {
        var ledger = fixture.Host.Services.GetRequiredService<SpendLedger>();
        var organization = Guid.NewGuid();
        var thisMonth = RequestCompletedSamples.Create(organization, 2m);
        var lastMonth = RequestCompletedSamples.Create(organization, 3m, completedAt: SpendScope.MonthStart(DateTime.UtcNow).AddSeconds(-1));

        await ledger.RecordAsync(thisMonth, default);
        await ledger.RecordAsync(lastMonth, default);

        Assert.Equal(2m, await ledger.OrganizationMonthSpendAsync(organization, DateTime.UtcNow, default));
        Assert.Equal(3m, await ledger.OrganizationMonthSpendAsync(organization, lastMonth.CompletedAt, default));
        Assert.Equal(5m, await ledger.OrganizationLifetimeSpendAsync(organization, default));
    }

    [Fact]
    public void A_callers_scopes_are_each_listed_once()
    {
        var group = Guid.NewGuid();
        var caller = new RequestCaller { OrganizationId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid(), GroupIds = [group, group] };

        var scopes = SpendScope.Of(caller);

        Assert.Equal(3, scopes.Count);
        Assert.Contains(new SpendScope(SpendScopes.Group, group), scopes);
        Assert.Contains(new SpendScope(SpendScopes.ApiKey, caller.ApiKeyId), scopes);
        Assert.Contains(new SpendScope(SpendScopes.Organization, caller.OrganizationId), scopes);
    }

    private async Task<int> DeliveriesAsync(Guid requestId)
    {
        await using var command = fixture.Database.CreateCommand("SELECT deliveries FROM management.processed_requests WHERE request_id = @id");
        command.Parameters.AddWithValue("id", requestId);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
