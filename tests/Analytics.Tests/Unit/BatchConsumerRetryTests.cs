using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Unit;

/// <summary>The endpoint wiring (batching + retry) on MassTransit's in-memory harness with a failing writer.</summary>
public class BatchConsumerRetryTests
{
    private sealed class FlakyWriter(int failures) : IRequestAnalyticsWriter
    {
        private int _remainingFailures = failures;
        public List<Guid> Stored { get; } = [];
        public int Calls { get; private set; }

        public Task WriteAsync(IReadOnlyList<RequestCompleted> events, CancellationToken cancellationToken)
        {
            lock (Stored)
            {
                Calls++;
                if (_remainingFailures-- > 0) throw new HttpRequestException("ClickHouse is down");
                Stored.AddRange(events.Select(e => e.RequestId));
            }
            return Task.CompletedTask;
        }
    }

    private static readonly IngestionOptions Options = new()
    {
        BatchSize = 100,
        BatchMessagesPerWrite = 10,
        BatchTimeLimitMs = 50,
        RetryLimit = 5,
        RetryMinIntervalMs = 10,
        RetryMaxIntervalMs = 50,
    };

    private static ServiceProvider BuildHarness(IRequestAnalyticsWriter writer) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(writer)
            .AddMassTransitTestHarness(bus =>
            {
                IngestionEndpoint.AddConsumers(bus, Options);
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.ReceiveEndpoint(IngestionEndpoint.QueueName, e => IngestionEndpoint.Configure(context, e, Options));
                    cfg.ReceiveEndpoint(IngestionEndpoint.BatchQueueName, e => IngestionEndpoint.ConfigureBatches(context, e, Options));
                });
            })
            .BuildServiceProvider(true);

    [Fact]
    public async Task A_failed_write_is_retried_until_it_succeeds_and_nothing_faults()
    {
        var writer = new FlakyWriter(failures: 2);
        await using var provider = BuildHarness(writer);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var org = Guid.NewGuid();
        var events = Enumerable.Range(0, 3).Select(_ => Events.Completed(org)).ToArray();

        foreach (var e in events) await harness.Bus.Publish(e);

        await Requesty.TestKit.Eventually.GetAsync(
            () => Task.FromResult(writer.Stored.Count >= 3 ? "stored" : null), TimeSpan.FromSeconds(20), "all events stored after retries");
        Assert.Equal(events.Select(e => e.RequestId).Order(), writer.Stored.Distinct().Order());
        Assert.True(writer.Calls >= 3);
        Assert.False(await harness.Published.Any<Fault<RequestCompleted>>());
    }

    [Fact]
    public async Task Messages_are_batched_into_one_write()
    {
        var writer = new FlakyWriter(failures: 0);
        await using var provider = BuildHarness(writer);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var events = Enumerable.Range(0, 40).Select(_ => Events.Completed(Guid.NewGuid())).ToArray();

        await Task.WhenAll(events.Select(e => harness.Bus.Publish(e)));

        await Requesty.TestKit.Eventually.GetAsync(
            () => Task.FromResult(writer.Stored.Count >= 40 ? "stored" : null), TimeSpan.FromSeconds(20), "all events stored");
        Assert.True(writer.Calls < 40, $"expected batched writes, got {writer.Calls} calls for 40 messages");
    }

    [Fact]
    public async Task The_events_of_several_router_batches_are_written_together_and_a_failed_write_is_retried()
    {
        var writer = new FlakyWriter(failures: 2);
        await using var provider = BuildHarness(writer);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var batches = Enumerable.Range(0, 8)
            .Select(_ => new RequestCompletedBatch { Events = [.. Enumerable.Range(0, 25).Select(_ => Events.Completed(Guid.NewGuid()))] })
            .ToArray();

        await Task.WhenAll(batches.Select(b => harness.Bus.Publish(b)));

        await Requesty.TestKit.Eventually.GetAsync(
            () => Task.FromResult(writer.Stored.Count >= 200 ? "stored" : null), TimeSpan.FromSeconds(20), "all events stored after retries");
        Assert.Equal(batches.SelectMany(b => b.Events).Select(e => e.RequestId).Order(), writer.Stored.Distinct().Order());
        // Two failed writes, then at most one write per message; one write per event would take 200.
        Assert.InRange(writer.Calls, 3, 10);
        Assert.False(await harness.Published.Any<Fault<RequestCompletedBatch>>());
    }
}
