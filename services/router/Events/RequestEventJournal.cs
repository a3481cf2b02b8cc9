using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Events;

/// <summary>
/// Durable, append-only journal of RequestCompleted events. Request threads only enqueue
/// (no I/O on the request path); one writer appends JSON lines to the current segment and
/// fsyncs once per batch, then hands the batch to the publisher in memory and wakes it. Each process run starts a new segment, so a
/// line torn by a crash is never followed by new data in the same file.
/// </summary>
public sealed class RequestEventJournal(JournalOptions options, ILogger<RequestEventJournal> logger) : BackgroundService
{
    private readonly Channel<PendingEvent> _pending = Channel.CreateUnbounded<PendingEvent>(
        new UnboundedChannelOptions { SingleReader = true });
    private const int MaxBatch = 1000;
    private readonly SemaphoreSlim _signal = new(0);
    private FileStream? _segment;
    private long _segmentIndex;
    private long _segmentLength;
    private volatile JournalPosition _written = new(0, 0);

    private readonly Lock _lateWrites = new();

    /// <summary>
    /// Called once per request after the response; never blocks while the journal runs. The event is built from the
    /// record by the writer, so its work (session hashing, copying) is not done on the request's thread.
    /// </summary>
    public void Append(RequestRecord record, DateTime completedAt)
    {
        if (!_pending.Writer.TryWrite(new PendingEvent(null, record, completedAt))) AppendAfterStop(record.ToEvent(completedAt));
    }

    public void Append(RequestCompleted completed)
    {
        if (!_pending.Writer.TryWrite(new PendingEvent(completed, null, default))) AppendAfterStop(completed);
    }

    /// <summary>
    /// A request that outlived the host's shutdown budget finishes after the writer stopped: its
    /// event goes straight to a segment of its own, which the next start publishes.
    /// </summary>
    private void AppendAfterStop(RequestCompleted completed)
    {
        lock (_lateWrites)
        {
            using var late = new FileStream(JournalSegments.PathOf(options.Directory, _segmentIndex + 1), FileMode.Append, FileAccess.Write, FileShare.Read);
            JsonSerializer.Serialize(late, completed, RouterJsonContext.Default.RequestCompleted);
            late.WriteByte((byte)'\n');
            late.Flush(flushToDisk: true);
        }
        logger.LogWarning("RequestCompleted {RequestId} finished after shutdown began; kept on disk for the next start", completed.RequestId);
    }

    /// <summary>Index of the segment being written; every lower segment is complete.</summary>
    public long CurrentSegment => Interlocked.Read(ref _segmentIndex);

    /// <summary>End of what the writer has written and fsynced so far (lower segments are complete).</summary>
    public JournalPosition Written => _written;

    /// <summary>The batches written since the publisher last took them, while it keeps up.</summary>
    public WrittenBatches Recent { get; } = new(options.MemoryBacklogEvents);

    /// <summary>Completes when something new was written (or after the timeout).</summary>
    public Task<bool> WaitForWriteAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Directory);
        var existing = JournalSegments.List(options.Directory);
        OpenSegment(existing.Count == 0 ? 1 : existing[^1] + 1);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not bound to stoppingToken: on shutdown the channel is completed and drained to disk.
        var reader = _pending.Reader;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            // The fsync is the cost of a batch: let the events of a few milliseconds gather into one.
            if (options.FlushDelay > TimeSpan.Zero) await Task.Delay(options.FlushDelay, CancellationToken.None);
            var start = _segmentLength;
            var events = new List<RequestCompleted>(64);
            var endOffsets = new List<long>(events.Capacity);
            var eventJson = new List<byte[]>(events.Capacity);
            while (events.Count < MaxBatch && reader.TryRead(out var pending))
            {
                var completed = pending.Build();
                var lineStart = buffer.WrittenCount;
                json.Reset();
                JsonSerializer.Serialize(json, completed, RouterJsonContext.Default.RequestCompleted);
                json.Flush();
                // The publisher sends these bytes as they are; one small array per event, never one large one.
                eventJson.Add(buffer.WrittenSpan[lineStart..].ToArray());
                buffer.Write("\n"u8);
                events.Add(completed);
                endOffsets.Add(start + buffer.WrittenCount);
            }
            _segment!.Write(buffer.WrittenSpan);
            _segmentLength += buffer.WrittenCount;
            buffer.ResetWrittenCount();
            _segment!.Flush(flushToDisk: true);
            _written = new JournalPosition(_segmentIndex, _segmentLength);
            Recent.TryAdd(new JournalBatch(_segmentIndex, start, [.. events], [.. endOffsets], [.. eventJson]));
            if (_signal.CurrentCount == 0) _signal.Release();
            if (_segmentLength >= options.SegmentBytes) OpenSegment(_segmentIndex + 1);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        // Not bound to the host's token: writing the queue to local disk is quick and must finish even
        // when a long request used up the whole shutdown budget.
        if (ExecuteTask is not null) await ExecuteTask;
        _segment?.Dispose();
        _signal.Release();
    }

    private void OpenSegment(long index)
    {
        _segment?.Dispose();
        _segment = new FileStream(JournalSegments.PathOf(options.Directory, index), FileMode.Append, FileAccess.Write, FileShare.Read);
        _segmentLength = _segment.Length;
        Interlocked.Exchange(ref _segmentIndex, index);
        _written = new JournalPosition(index, _segmentLength);
    }

    /// <summary>An event as it was appended: ready, or still to be built from the request's record.</summary>
    private readonly record struct PendingEvent(RequestCompleted? Ready, RequestRecord? Record, DateTime CompletedAt)
    {
        public RequestCompleted Build() => Ready ?? Record!.ToEvent(CompletedAt);
    }
}
