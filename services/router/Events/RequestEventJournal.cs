using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Durable, append-only journal of RequestCompleted events. Request threads only enqueue
/// (no I/O on the request path); one writer appends JSON lines to the current segment and
/// fsyncs once per batch, then wakes the publisher. Each process run starts a new segment, so a
/// line torn by a crash is never followed by new data in the same file.
/// </summary>
public sealed class RequestEventJournal(JournalOptions options, ILogger<RequestEventJournal> logger) : BackgroundService
{
    private readonly Channel<RequestCompleted> _pending = Channel.CreateUnbounded<RequestCompleted>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _written = new(0);
    private FileStream? _segment;
    private long _segmentIndex;

    private readonly Lock _lateWrites = new();

    /// <summary>Called once per request after the response; never blocks while the journal runs.</summary>
    public void Append(RequestCompleted completed)
    {
        if (!_pending.Writer.TryWrite(completed)) AppendAfterStop(completed);
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

    /// <summary>Completes when something new was written (or after the timeout).</summary>
    public Task<bool> WaitForWriteAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _written.WaitAsync(timeout, cancellationToken);

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
            var count = 0;
            while (count < 1000 && reader.TryRead(out var completed))
            {
                json.Reset();
                JsonSerializer.Serialize(json, completed, RouterJsonContext.Default.RequestCompleted);
                json.Flush();
                buffer.Write("\n"u8);
                count++;
            }
            _segment!.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
            _segment!.Flush(flushToDisk: true);
            _written.Release();
            if (_segment.Length >= options.SegmentBytes) OpenSegment(_segmentIndex + 1);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        // Not bound to the host's token: writing the queue to local disk is quick and must finish even
        // when a long request used up the whole shutdown budget.
        if (ExecuteTask is not null) await ExecuteTask;
        _segment?.Dispose();
        _written.Release();
    }

    private void OpenSegment(long index)
    {
        _segment?.Dispose();
        _segment = new FileStream(JournalSegments.PathOf(options.Directory, index), FileMode.Append, FileAccess.Write, FileShare.Read);
        Interlocked.Exchange(ref _segmentIndex, index);
    }
}
