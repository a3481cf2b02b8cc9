using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>The whole path: synthetic events (some delivered twice) published on RabbitMQ, then read through the query API.</summary>
[Collection(AnalyticsServiceCollection.Name)]
public class QueryAfterBusIngestTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task Published_events_delivered_twice_are_counted_once_by_the_query_api()
    {
        var org = Guid.NewGuid();
        var events = Generate(org, 600, seed: 7);

        await service.PublishAsync([.. events, .. events.Take(100)]);

        await Eventually.GetAsync(async () => await service.CountRequestsAsync(org) == 600 ? "all" : null,
            TimeSpan.FromSeconds(60), "all 600 requests stored");
        var test = new QueryApiTests(service);
        var cost = await test.QueryAsync(QueryApiTests.Body(org, "cost", "sum", "model", "none"));
        foreach (var model in events.GroupBy(ModelOf))
            Assert.Equal(model.Sum(e => e.CostUsd), cost[model.Key].Total);
        var p99 = await test.QueryAsync(QueryApiTests.Body(org, "latency_ms", "p99", null, "none"));
        Assert.Equal(QuantileExact(events.Select(e => (decimal)e.LatencyMs), 0.99), p99["all"].Total);
        var requests = await test.QueryAsync(QueryApiTests.Body(org, "requests", "sum", null, "none", new() { ["tag"] = "alpha" }));
        Assert.Equal(events.Count(e => e.Metadata.Tags.Contains("alpha")), requests["all"].Total);
    }
}
