using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Requesty.Contracts.Events;
using Requesty.Router.Events;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Unit;

/// <summary>The durable journal and its publisher, against MassTransit's in-memory harness.</summary>
public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("journal-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_appended_event_is_published()
    {
        await using var run = await JournalRun.StartAsync(Options());
        var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id));

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
    }

    [Fact]
    public async Task Events_journaled_while_nothing_could_publish_are_published_after_a_restart()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        var journal = new RequestEventJournal(Options(), NullLogger<RequestEventJournal>.Instance);
        await journal.StartAsync(CancellationToken.None);
        foreach (var id in ids) journal.Append(Event(id));
        await journal.StopAsync(CancellationToken.None);

        await using var run = await JournalRun.StartAsync(Options());

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
    }

    [Fact]
    public async Task A_line_torn_by_a_crash_is_skipped_and_everything_before_it_is_published()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var lines = JsonSerializer.Serialize(Event(first)) + "\n" + JsonSerializer.Serialize(Event(second)) + "\n" + "{\"requestId\":\"tor";
        await File.WriteAllTextAsync(JournalSegments.PathOf(_directory, 1), lines);

        await using var run = await JournalRun.StartAsync(Options());

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= 2 ? "ok" : null));
        Assert.Equal(new HashSet<Guid> { first, second }, run.PublishedIds());
        await Eventually.GetAsync(() => Task.FromResult(File.Exists(JournalSegments.PathOf(_directory, 1)) ? null : "deleted"));
    }

    [Fact]
    public async Task Segments_rotate_and_published_ones_are_deleted()
    {
        await using var run = await JournalRun.StartAsync(Options(segmentBytes: 4096));
        var ids = new List<Guid>();
        for (var batch = 0; batch < 10; batch++)
        {
            for (var i = 0; i < 20; i++)
            {
                var id = Guid.NewGuid();
                ids.Add(id);
                run.Journal.Append(Event(id));
            }
            await Task.Delay(20);
        }

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
        await Eventually.GetAsync(() => Task.FromResult(JournalSegments.List(_directory).Count <= 2 ? "ok" : null));
    }

    [Fact]
    public async Task Events_just_written_are_published_from_memory_without_reading_the_journal_back()
    {
        await using var run = await JournalRun.StartAsync(Options());
        var first = Guid.NewGuid();
        run.Journal.Append(Event(first));
        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Contains(first) ? "ok" : null));
        var readBefore = run.Publisher.ReadFromDiskCount;

        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            run.Journal.Append(Event(ids[i]));
            if (i % 50 == 49) await Task.Delay(10);
        }

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count + 1 ? "ok" : null));
        Assert.Equal(readBefore, run.Publisher.ReadFromDiskCount);
        Assert.Equal(ids.Count + 1, run.PublishedCount());
    }

    [Fact]
    public async Task Events_are_packed_into_messages_of_at_most_the_configured_size_in_journal_order()
    {
        await using var run = await JournalRun.StartAsync(Options(eventsPerMessage: 7));
        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id));

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedCount() >= ids.Count ? "ok" : null));
        var messages = run.PublishedMessages();
        Assert.All(messages, m => Assert.InRange(m.Events.Count, 1, 7));
        Assert.True(messages.Count < ids.Count / 2, $"{messages.Count} messages for {ids.Count} events: events were not packed");
        // Messages of one round are confirmed in any order, but each holds a run of consecutive journal events.
        var position = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        Assert.All(messages, m => Assert.Equal(
            Enumerable.Range(position[m.Events[0].RequestId], m.Events.Count), m.Events.Select(e => position[e.RequestId])));
        Assert.Equal(ids.Count, run.PublishedCount());
    }

    [Fact]
    public async Task Batches_written_within_the_publish_delay_go_out_together()
    {
        await using var run = await JournalRun.StartAsync(Options(publishDelay: TimeSpan.FromSeconds(3)));
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            run.Journal.Append(Event(id));
            // Longer than the writer's flush delay (20 ms): each event is a written batch of its own, which without the
            // publish delay would go out as a message of its own.
            await Task.Delay(60);
        }

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedCount() >= ids.Count ? "ok" : null));
        var message = Assert.Single(run.PublishedMessages());
        Assert.Equal(ids, message.Events.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Stopping_publishes_at_once_what_waits_out_the_publish_delay()
    {
        await using var run = await JournalRun.StartAsync(Options(publishDelay: TimeSpan.FromHours(1)));
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id));
        await Eventually.GetAsync(() => Task.FromResult(run.Journal.Written.Offset > 0 ? "written" : null));
        await Task.Delay(100);
        Assert.Equal(0, run.PublishedCount());

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await run.Journal.StopAsync(CancellationToken.None);
        await run.Publisher.StopAsync(CancellationToken.None);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1.5), $"stop took {stopping.Elapsed}: it waited out the delay or the drain timeout");
        await Eventually.GetAsync(() => Task.FromResult(run.PublishedCount() >= ids.Count ? "ok" : null));
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(0)] // every event read back from disk
    public async Task Consumers_get_every_field_of_the_journaled_events(int memoryBacklogEvents)
    {
        await using var run = await JournalRun.StartAsync(Options(memoryBacklogEvents: memoryBacklogEvents));
        var sent = Enumerable.Range(0, 20).Select(i => Event(Guid.NewGuid()) with
        {
            ServedModel = "anthropic/claude-sonnet-4-5",
            Stream = i % 2 == 0,
            Usage = new TokenUsage { InputTokens = 1200 + i, OutputTokens = 33, CacheReadTokens = 1000, CacheWriteTokens = 7, ReasoningTokens = 5 },
            CostUsd = 0.0012345678901234m * (i + 1),
            CostWithoutCacheUsd = 0.01m,
            FirstTokenAt = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567 + i),
            ErrorMessage = i == 3 ? "quote \" \\ tab \t é 日本 \u2028" : null,
            ToolCalls = [new ToolCallMade { Id = "call_" + i, Name = "get_weather", ArgumentsBytes = 42 }],
            Metadata = new RequestMetadata { Tags = ["a", "b"], TraceId = "trace-" + i, Extra = new Dictionary<string, string> { ["feature"] = "chat" } },
        }).ToList();
        foreach (var completed in sent) run.Journal.Append(completed);

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedCount() >= sent.Count ? "ok" : null));
        var received = run.PublishedMessages().SelectMany(m => m.Events).ToDictionary(e => e.RequestId);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.All(sent, original => Assert.Equal(JsonSerializer.Serialize(original, json), JsonSerializer.Serialize(received[original.RequestId], json)));
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(0)] // every event read back from disk
    public async Task Messages_stay_below_the_large_object_threshold_however_heavy_the_events(int memoryBacklogEvents)
    {
        await using var run = await JournalRun.StartAsync(Options(memoryBacklogEvents: memoryBacklogEvents));
        // ~2 KB each as JSON (a long upstream error, with some non-ASCII): 100 of them would make a 200 KB message.
        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id) with { ErrorMessage = string.Concat(Enumerable.Repeat("upstream said: überlastet ", 70)) });

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedCount() >= ids.Count ? "ok" : null));
        var messages = run.PublishedMessages();
        Assert.All(run.PublishedBodySizes(), length => Assert.InRange(length, 1, 80_000));
        Assert.True(messages.Count < ids.Count / 10, $"{messages.Count} messages for {ids.Count} events: events were not packed");
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
        Assert.Equal(ids.Count, run.PublishedCount());
    }

    [Fact]
    public async Task When_memory_falls_behind_the_rest_is_read_from_disk_and_each_event_is_published_once()
    {
        await using var run = await JournalRun.StartAsync(Options(memoryBacklogEvents: 10));
        var ids = Enumerable.Range(0, 400).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id));

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
        Assert.Equal(ids.ToHashSet(), run.PublishedIds());
        Assert.Equal(ids.Count, run.PublishedCount());
        Assert.True(run.Publisher.ReadFromDiskCount > 0, "a batch larger than the memory backlog was not read from disk");
    }

    [Fact]
    public async Task Once_events_stop_the_checkpoint_on_disk_reaches_the_end_of_the_journal()
    {
        await using var run = await JournalRun.StartAsync(Options(checkpointInterval: TimeSpan.FromMilliseconds(200)));
        var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) run.Journal.Append(Event(id));

        await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
        var end = run.Journal.Written;
        Assert.True(end.Offset > 0);
        await Eventually.GetAsync(() => Task.FromResult(JournalCheckpoint.Load(_directory) == new JournalCheckpoint(end.Segment, end.Offset) ? "ok" : null));
    }

    [Fact]
    public async Task Stopping_saves_the_checkpoint_even_before_its_interval_is_over()
    {
        JournalPosition end;
        await using (var run = await JournalRun.StartAsync(Options(checkpointInterval: TimeSpan.FromHours(1))))
        {
            var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToList();
            foreach (var id in ids) run.Journal.Append(Event(id));
            await Eventually.GetAsync(() => Task.FromResult(run.PublishedIds().Count >= ids.Count ? "ok" : null));
            end = run.Journal.Written;
        }

        Assert.Equal(new JournalCheckpoint(end.Segment, end.Offset), JournalCheckpoint.Load(_directory));
    }

    [Fact]
    public void Memory_keeps_batches_up_to_its_capacity_and_frees_what_the_publisher_released()
    {
        var recent = new WrittenBatches(capacityEvents: 3);
        var two = Batch(0, 2);
        Assert.True(recent.TryAdd(two));
        Assert.False(recent.TryAdd(Batch(two.EndOffset, 2)));
        var one = Batch(two.EndOffset, 1);
        Assert.True(recent.TryAdd(one));

        var taken = new Queue<JournalBatch>();
        recent.MoveTo(taken);
        Assert.Equal([two, one], taken);
        recent.Release(taken.Dequeue());
        Assert.True(recent.TryAdd(Batch(one.EndOffset, 2)));
    }

    private static JournalBatch Batch(long start, int count)
    {
        var events = Enumerable.Range(0, count).Select(_ => Event(Guid.NewGuid())).ToArray();
        return new JournalBatch(1, start, events, Enumerable.Range(1, count).Select(i => start + 100L * i).ToArray(), [.. events.Select(_ => new byte[99])]);
    }

    private JournalOptions Options(
        long segmentBytes = 16 * 1024 * 1024, int memoryBacklogEvents = 20_000, TimeSpan? checkpointInterval = null, int eventsPerMessage = 100,
        TimeSpan? publishDelay = null) => new()
    {
        EventsPerMessage = eventsPerMessage,
        PublishDelay = publishDelay ?? new JournalOptions { Directory = _directory }.PublishDelay,
        Directory = _directory,
        SegmentBytes = segmentBytes,
        MemoryBacklogEvents = memoryBacklogEvents,
        CheckpointInterval = checkpointInterval ?? TimeSpan.FromMilliseconds(100),
        DrainTimeout = TimeSpan.FromSeconds(2),
    };

    private static RequestCompleted Event(Guid id) => new()
    {
        RequestId = id,
        StartedAt = DateTime.UtcNow,
        CompletedAt = DateTime.UtcNow,
        Caller = new RequestCaller { OrganizationId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid() },
        Endpoint = "chat.completions",
        RequestedModel = "openai/gpt-4o-mini",
        HttpStatus = 200,
        Status = "success",
        LatencyMs = 12,
        CostUsd = 0.000123456789m,
    };

    private sealed class JournalRun : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly ITestHarness _harness;

        private JournalRun(ServiceProvider provider, ITestHarness harness, RequestEventJournal journal, JournalPublisher publisher)
        {
            _provider = provider;
            _harness = harness;
            Journal = journal;
            Publisher = publisher;
        }

        public RequestEventJournal Journal { get; }

        public JournalPublisher Publisher { get; }

        public static async Task<JournalRun> StartAsync(JournalOptions options)
        {
            var provider = new ServiceCollection()
                .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
                .AddMassTransitTestHarness(x => x.AddConsumer<BatchSink>())
                .BuildServiceProvider();
            var harness = provider.GetRequiredService<ITestHarness>();
            await harness.Start();
            var journal = new RequestEventJournal(options, NullLogger<RequestEventJournal>.Instance);
            var publisher = new JournalPublisher(options, journal, provider.GetRequiredService<IBus>(), NullLogger<JournalPublisher>.Instance);
            await publisher.StartAsync(CancellationToken.None);
            await journal.StartAsync(CancellationToken.None);
            return new JournalRun(provider, harness, journal, publisher);
        }

        /// <summary>The messages as a consumer got them: deserialized by MassTransit from the bytes that were sent.</summary>
        public List<RequestCompletedBatch> PublishedMessages() =>
            [.. _harness.Consumed.Select<RequestCompletedBatch>().Select(c => c.Context.Message)];

        /// <summary>The size of each message body as sent.</summary>
        public List<int> PublishedBodySizes() =>
            [.. _harness.Published.Select<RequestCompletedBatch>().Select(p => p.Context.Serializer.GetMessageBody(p.Context).GetBytes().Length)];

        private IEnumerable<RequestCompleted> PublishedEvents() => PublishedMessages().SelectMany(m => m.Events);

        public HashSet<Guid> PublishedIds() => PublishedEvents().Select(e => e.RequestId).ToHashSet();

        public int PublishedCount() => PublishedEvents().Count();

        public async ValueTask DisposeAsync()
        {
            await Journal.StopAsync(CancellationToken.None);
            await Publisher.StopAsync(CancellationToken.None);
            await _harness.Stop();
            await _provider.DisposeAsync();
        }
    }

    private sealed class BatchSink : IConsumer<RequestCompletedBatch>
    {
        public Task Consume(ConsumeContext<RequestCompletedBatch> context) => Task.CompletedTask;
    }
}
