using System.Text.Json;
using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Publishes journaled events to RabbitMQ in order of the journal, many in flight at once, and
/// advances the checkpoint only after the broker confirmed the whole batch: at-least-once.
/// While the broker is down it retries with growing pauses; the backlog waits on disk. Fully
/// published segments are deleted.
/// </summary>
public sealed class JournalPublisher(
    JournalOptions options,
    RequestEventJournal journal,
    IBus bus,
    ILogger<JournalPublisher> logger) : BackgroundService
{
    private readonly CancellationTokenSource _shutdown = new();
    private volatile bool _draining;
    private long _published;

    public long PublishedCount => Interlocked.Read(ref _published);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpoint = JournalCheckpoint.Load(options.Directory);
        var retryDelay = TimeSpan.FromMilliseconds(200);
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                var (next, madeProgress) = await PublishAvailableAsync(checkpoint, _shutdown.Token);
                checkpoint = next;
                retryDelay = TimeSpan.FromMilliseconds(200);
                if (madeProgress) continue;
                if (_draining) return;
                await journal.WaitForWriteAsync(TimeSpan.FromSeconds(1), _shutdown.Token);
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Publishing journaled events failed ({Message}); retrying in {Delay}", ex.Message, retryDelay);
                try
                {
                    await Task.Delay(retryDelay, _shutdown.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retryDelay = TimeSpan.FromMilliseconds(Math.Min(retryDelay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        _shutdown.CancelAfter(options.DrainTimeout);
        // Bounded by DrainTimeout (above), not by the host's token, which a long request may already have used up.
        if (ExecuteTask is not null) await ExecuteTask.ContinueWith(_ => { }, TaskScheduler.Default);
        await _shutdown.CancelAsync();
        await base.StopAsync(CancellationToken.None);
    }

    /// <summary>Publishes everything complete in the journal past the checkpoint; returns the new checkpoint.</summary>
    private async Task<(JournalCheckpoint Checkpoint, bool Progress)> PublishAvailableAsync(JournalCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var segments = JournalSegments.List(options.Directory).Where(s => s >= checkpoint.Segment).ToList();
        if (segments.Count == 0) return (checkpoint, false);
        if (segments[0] != checkpoint.Segment) checkpoint = new JournalCheckpoint(segments[0], 0);

        // Decided before reading: a segment the writer has left gets no new lines, so an empty read then means done.
        var finished = checkpoint.Segment < journal.CurrentSegment || segments.Count > 1;
        var path = JournalSegments.PathOf(options.Directory, checkpoint.Segment);
        var lines = await ReadCompleteLinesAsync(path, checkpoint.Offset, cancellationToken);
        if (lines.Count > 0)
        {
            var offset = checkpoint.Offset;
            foreach (var batch in lines.Chunk(options.PublishBatchSize))
            {
                await PublishBatchAsync(batch, cancellationToken);
                offset = batch[^1].EndOffset;
                checkpoint = new JournalCheckpoint(checkpoint.Segment, offset);
                checkpoint.Save(options.Directory);
            }
            return (checkpoint, true);
        }

        if (!finished) return (checkpoint, false);
        if (new FileInfo(path).Length > checkpoint.Offset)
            logger.LogWarning("Journal segment {Segment} ends with a torn line (crash while writing); skipped", checkpoint.Segment);
        File.Delete(path);
        var following = segments.Count > 1 ? segments[1] : checkpoint.Segment + 1;
        checkpoint = new JournalCheckpoint(following, 0);
        checkpoint.Save(options.Directory);
        return (checkpoint, true);
    }

    private async Task PublishBatchAsync(JournalLine[] batch, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        var publishes = new List<Task>(batch.Length);
        foreach (var line in batch)
        {
            if (line.Event is not null) publishes.Add(bus.Publish(line.Event, timeout.Token));
        }
        await Task.WhenAll(publishes);
        Interlocked.Add(ref _published, publishes.Count);
    }

    private async Task<List<JournalLine>> ReadCompleteLinesAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var result = new List<JournalLine>();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= offset) return result;
        file.Position = offset;
        var length = (int)Math.Min(file.Length - offset, 8 * 1024 * 1024);
        var buffer = new byte[length];
        await file.ReadExactlyAsync(buffer, cancellationToken);

        var start = 0;
        int newline;
        while ((newline = Array.IndexOf(buffer, (byte)'\n', start)) >= 0)
        {
            var lineBytes = buffer.AsSpan(start, newline - start);
            result.Add(new JournalLine(Parse(lineBytes, offset + start), offset + newline + 1));
            start = newline + 1;
        }
        return result;
    }

    private RequestCompleted? Parse(ReadOnlySpan<byte> line, long position)
    {
        try
        {
            return JsonSerializer.Deserialize(line, RouterJsonContext.Default.RequestCompleted);
        }
        catch (JsonException ex)
        {
            logger.LogError("Unreadable journal line at byte {Position} skipped: {Message}", position, ex.Message);
            return null;
        }
    }

    private sealed record JournalLine(RequestCompleted? Event, long EndOffset);
}
