namespace Requesty.Router.Events;

public sealed class JournalOptions
{
    /// <summary>Folder of the durable event journal (segment files + publisher checkpoint).</summary>
    public required string Directory { get; init; }

    /// <summary>A segment is closed and a new one started past this size.</summary>
    public long SegmentBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// How long the writer lets events gather before it writes and fsyncs a batch: one fsync per window instead of per
    /// request. Each batch costs the same whatever it holds (the fsync, a disk flush that is a VM exit on virtual machines,
    /// and the wake-ups of the writer and the publisher), so the window sets that cost per second; it is also how much of
    /// the last events a killed process (not a stopped one: stopping drains) can lose. 20 ms took 12-14% off the router's
    /// CPU per request at 2,000 requests/s against 5 ms on a 2-core VM.
    /// </summary>
    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Most events one publishing round takes (its messages are in flight at once; publisher confirms make one-at-a-time slow).</summary>
    public int PublishBatchSize { get; init; } = 1_000;

    /// <summary>
    /// Most events in one <see cref="Requesty.Contracts.Events.RequestCompletedBatch"/> message. The broker and every consumer
    /// pay per message, not per event; a round with fewer events ready sends smaller messages (see <see cref="PublishDelay"/>).
    /// </summary>
    public int EventsPerMessage { get; init; } = 100;

    /// <summary>
    /// How long the publisher, woken by a write, lets further written batches gather before its round. Every message costs
    /// the router, the broker and each consumer about the same whatever it holds; at a few thousand requests a second
    /// this turns a message per written batch into messages of tens of events, for a few more milliseconds of event delay.
    /// The events are on disk meanwhile.
    /// </summary>
    public TimeSpan PublishDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Most bytes of journaled event JSON in one message (a single larger event still goes alone). Keeps message bodies
    /// below .NET's large-object threshold (85,000 bytes, envelope included): large objects are only collected with
    /// generation 2, and at a few thousand requests a second they set off a full background collection every few seconds.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 48 * 1024;

    /// <summary>
    /// Events just written are handed to the publisher in memory up to this many unpublished ones; beyond it
    /// (broker down) the publisher reads them back from disk. 0 makes the publisher always read from disk.
    /// </summary>
    public int MemoryBacklogEvents { get; init; } = 20_000;

    /// <summary>
    /// The checkpoint file is rewritten at most this often (and once this long after the last events, and on
    /// stop): a crash republishes at most about this much, which consumers tolerate (idempotent on RequestId).
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bound for one publish; RabbitMQ being down makes Publish wait instead of failing.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long shutdown waits for the backlog to be published (the rest stays on disk).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static JournalOptions From(IConfiguration configuration) => new()
    {
        Directory = Path.GetFullPath(configuration["Journal:Directory"] ?? Path.Combine("data", "router-journal")),
        SegmentBytes = configuration.GetValue("Journal:SegmentBytes", 16L * 1024 * 1024),
        FlushDelay = TimeSpan.FromMilliseconds(configuration.GetValue("Journal:FlushDelayMs", 20)),
        PublishBatchSize = configuration.GetValue("Journal:PublishBatchSize", 1_000),
        EventsPerMessage = Math.Max(1, configuration.GetValue("Journal:EventsPerMessage", 100)),
        PublishDelay = TimeSpan.FromMilliseconds(Math.Max(0, configuration.GetValue("Journal:PublishDelayMs", 20))),
        MaxMessageBytes = Math.Max(1, configuration.GetValue("Journal:MaxMessageBytes", 48 * 1024)),
        MemoryBacklogEvents = configuration.GetValue("Journal:MemoryBacklogEvents", 20_000),
        CheckpointInterval = TimeSpan.FromMilliseconds(configuration.GetValue("Journal:CheckpointIntervalMs", 100)),
        PublishTimeout = TimeSpan.FromSeconds(configuration.GetValue("Journal:PublishTimeoutSeconds", 15)),
        DrainTimeout = TimeSpan.FromSeconds(configuration.GetValue("Journal:DrainTimeoutSeconds", 5)),
    };
}
