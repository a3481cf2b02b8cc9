using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>While ClickHouse rejects inserts the batch is retried and stays unacknowledged; nothing is lost.</summary>
[Collection(AnalyticsServiceCollection.Name)]
public class ClickHouseOutageTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task Events_published_during_an_outage_are_stored_once_it_ends()
    {
        await using var proxy = await FlakyClickHouseProxy.StartAsync(TestServers.ClickHouseUrl);
        var prefix = ServiceWithOwnQueues.NewQueuePrefix();
        var queue = prefix + IngestionEndpoint.QueueName;
        await using var host = await ServiceWithOwnQueues.StartAsync(AnalyticsApp.Build, prefix,
            $"--ClickHouse:Url={proxy.Url}",
            "--Analytics:Ingestion:RetryLimit=1000",
            "--Analytics:Ingestion:RetryMinIntervalMs=100",
            "--Analytics:Ingestion:RetryMaxIntervalMs=500");
        var org = Guid.NewGuid();
        var events = Enumerable.Range(0, 20).Select(_ => Events.Completed(org)).ToArray();

        proxy.FailInserts = true;
        // Sent to this instance's queue only: a publish would also reach the fixture's instance, which writes directly.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var endpoint = await service.Bus.GetSendEndpoint(new Uri($"exchange:{queue}?durable=false&autodelete=true"));
        await Task.WhenAll(events.Select(e => endpoint.Send(e, timeout.Token)));
        await Eventually.GetAsync(() => Task.FromResult(proxy.RejectedInserts >= 3 ? "retried" : null),
            TimeSpan.FromSeconds(30), "inserts retried during the outage");
        Assert.Equal(0UL, await service.CountRequestsAsync(org));

        proxy.FailInserts = false;
        await Eventually.GetAsync(async () => await service.CountRequestsAsync(org) == 20 ? "stored" : null,
            TimeSpan.FromSeconds(30), "all events stored after the outage");
    }
}
