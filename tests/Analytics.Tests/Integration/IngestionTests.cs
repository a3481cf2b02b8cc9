using Requesty.Analytics.Application.Access;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

[Collection(AnalyticsServiceCollection.Name)]
public class IngestionTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task Published_event_is_stored_with_its_tool_calls()
    {
        var org = Guid.NewGuid();
        var e = Events.Completed(org);

        await service.PublishAsync(e);

        await Eventually.GetAsync(async () => await service.CountRequestsAsync(org) == 1 ? "stored" : null, because: "request row stored");
        Assert.Equal(1UL, await service.CountToolCallsAsync(org));
        var row = await service.Queries.FindRequestAsync(e.RequestId, org, RowAccess.WholeOrganization, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(e.Caller.ApiKeyId, row.ApiKeyId);
        Assert.Equal(0.0012345m, row.CostUsd);
        Assert.Equal(["country", "tier"], row.MetaKeys);
        Assert.Equal(["canada", "premium"], row.MetaValues);
        Assert.Equal(e.Caller.GroupIds, row.GroupIds);
        Assert.Equal("2025-03-14 15:09:26", row.StartedAt);
    }

    [Fact]
    public async Task Same_event_published_twice_is_read_once()
    {
        var org = Guid.NewGuid();
        var e = Events.Completed(org, cost: 0.25m);

        await service.PublishAsync(e);
        await Eventually.GetAsync(async () => await service.CountRequestsAsync(org) == 1 ? "first" : null, because: "first delivery stored");
        var firstVersion = await service.MaxRequestVersionAsync(org);
        await Task.Delay(5); // versions are insert times in ms: the second insert must get a newer one
        await service.PublishAsync(e);
        // The second copy is inserted with a newer version; a background merge may already have collapsed the two
        // raw rows (keeping the newest), so wait on the version rather than on a raw count of 2.
        await Eventually.GetAsync(async () => await service.MaxRequestVersionAsync(org) > firstVersion ? "second" : null,
            TimeSpan.FromSeconds(60), "second delivery inserted");

        Assert.Equal(1UL, await service.CountRequestsAsync(org));
        using var api = service.CreateApiClient();
        var summary = await api.GetFromJsonAsync<JsonElement>(
            $"v1/analytics/summary?org_id={org}&from=2025-03-14T00:00:00Z&to=2025-03-15T00:00:00Z");
        Assert.Equal(1, summary.GetProperty("requests").GetInt32());
        Assert.Equal(0.25m, summary.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task A_burst_of_500_events_arrives_completely()
    {
        var org = Guid.NewGuid();
        var start = new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        var events = Enumerable.Range(0, 500)
            .Select(i => Events.Completed(org, startedAt: start.AddSeconds(i * 7), cost: 0.000001001m * (i + 1)))
            .ToArray();

        await service.PublishAsync(events);

        await Eventually.GetAsync(async () => await service.CountRequestsAsync(org) == 500 ? "all" : null,
            TimeSpan.FromSeconds(60), "all 500 rows stored");
        var summary = await service.Queries
            .SummarizeAsync(org, start, start.AddDays(1), RowAccess.WholeOrganization, CancellationToken.None);
        Assert.Equal(500UL, summary.Requests);
        Assert.Equal(events.Sum(e => e.CostUsd), summary.CostUsd);
        Assert.Equal(500UL * 120, summary.InputTokens);
        Assert.Equal(500UL * 45, summary.OutputTokens);
        Assert.Equal(500UL, await service.CountToolCallsAsync(org));
    }
}
