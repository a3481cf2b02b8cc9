using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Publishes journaled events to RabbitMQ in order of the journal, packed into <see cref="RequestCompletedBatch"/>
/// messages of up to <see cref="JournalOptions.EventsPerMessage"/> events and <see cref="JournalOptions.MaxMessageBytes"/>,
/// several messages in flight at once, and
/// advances the checkpoint only after the broker confirmed them: at-least-once. Events the writer
/// just fsynced come from memory (<see cref="RequestEventJournal.Recent"/>); the journal files are read
/// only after a restart or when memory did not keep up. The checkpoint file is rewritten in place at most
/// once per <see cref="JournalOptions.CheckpointInterval"/> (also when events stop coming) and on stop.
/// While the broker is down it retries with growing pauses; the backlog waits on disk. Fully published
/// segments are deleted.
/// </summary>
public sealed class JournalPublisher(
    JournalOptions options,
    RequestEventJournal journal,
    IBus bus,
    ILogger<JournalPublisher> logger) : BackgroundService
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _stopGathering = new();
    private readonly Queue<JournalBatch> _inMemory = new();
    private readonly List<JournaledEvent> _round = new(options.PublishBatchSize);
    private volatile bool _draining;
    private long _published;
    private long _readFromDisk;
    private readonly JournalCheckpointFile _checkpointFile = new(options.Directory);
    private JournalCheckpoint _saved = new(0, 0);
    private long _lastSave = Stopwatch.GetTimestamp();

    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>Events that had to be read back from the journal files (restart, or memory fell behind).</summary>
    public long ReadFromDiskCount => Interlocked.Read(ref _readFromDisk);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpoint = JournalCheckpoint.Load(options.Directory);
        _saved = checkpoint;
        var retryDelay = TimeSpan.FromMilliseconds(200);
        try
        {
            while (!_shutdown.IsCancellationRequested)
            {
                try
                {
                    var (next, madeProgress) = await PublishAvailableAsync(checkpoint, _shutdown.Token);
                    checkpoint = next;
                    retryDelay = TimeSpan.FromMilliseconds(200);
                    var untilSave = options.CheckpointInterval - Stopwatch.GetElapsedTime(_lastSave);
                    if (checkpoint != _saved && untilSave <= TimeSpan.Zero) SaveCheckpoint(checkpoint);
                    if (madeProgress) continue;
                    if (_draining) return;
                    // An unsaved checkpoint is saved once the interval is over, also when nothing more arrives.
                    var wait = checkpoint != _saved && untilSave > TimeSpan.Zero ? untilSave : TimeSpan.FromSeconds(1);
                    if (await journal.WaitForWriteAsync(wait, _shutdown.Token)) await LetEventsGatherAsync();
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
        finally
        {
            if (checkpoint != _saved) SaveCheckpoint(checkpoint);
            _checkpointFile.Dispose();
        }
    }

    /// <summary>Waits <see cref="JournalOptions.PublishDelay"/> for more written batches; stopping ends the wait at once.</summary>
    private async Task LetEventsGatherAsync()
    {
        if (options.PublishDelay <= TimeSpan.Zero || _draining) return;
        try
        {
            await Task.Delay(options.PublishDelay, _stopGathering.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: publish what is there now.
        }
    }

    private void SaveCheckpoint(JournalCheckpoint checkpoint)
    {
        _checkpointFile.Write(checkpoint);
        _saved = checkpoint;
        _lastSave = Stopwatch.GetTimestamp();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        await _stopGathering.CancelAsync();
        _shutdown.CancelAfter(options.DrainTimeout);
        // Bounded by DrainTimeout (above), not by the host's token, which a long request may already have used up.
        if (ExecuteTask is not null) await ExecuteTask.ContinueWith(_ => { }, TaskScheduler.Default);
        await _shutdown.CancelAsync();
        await base.StopAsync(CancellationToken.None);
    }

    /// <summary>Publishes the next events past the checkpoint (from memory when it has them); returns the new checkpoint.</summary>
    private async Task<(JournalCheckpoint Checkpoint, bool Progress)> PublishAvailableAsync(JournalCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var written = journal.Written;
        if (checkpoint.Segment == written.Segment && checkpoint.Offset >= written.Offset) return (checkpoint, false);
        var fromMemory = await PublishFromMemoryAsync(checkpoint, cancellationToken);
        return fromMemory is not null ? (fromMemory, true) : await PublishFromDiskAsync(checkpoint, cancellationToken);
    }

    /// <summary>
    /// Publishes up to a batch of events from the in-memory batches that continue exactly where the checkpoint
    /// stands; null when memory does not hold the next event (after a restart, or when it fell behind).
    /// </summary>
    private async Task<JournalCheckpoint?> PublishFromMemoryAsync(JournalCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        journal.Recent.MoveTo(_inMemory);
        while (_inMemory.TryPeek(out var stale)
               && (stale.Segment < checkpoint.Segment || (stale.Segment == checkpoint.Segment && stale.EndOffset <= checkpoint.Offset)))
        {
            journal.Recent.Release(_inMemory.Dequeue());
        }
        if (!_inMemory.TryPeek(out var first) || first.Segment != checkpoint.Segment || first.StartOffset > checkpoint.Offset) return null;

        _round.Clear();
        var end = checkpoint.Offset;
        var consumed = 0;
        foreach (var batch in _inMemory)
        {
            if (batch.Segment != checkpoint.Segment || batch.StartOffset > end) break;
            var i = 0;
            while (i < batch.Events.Length && batch.EndOffsets[i] <= end) i++;
            for (; i < batch.Events.Length && _round.Count < options.PublishBatchSize; i++)
            {
                _round.Add(new JournaledEvent(batch.Events[i], batch.Json[i]));
                end = batch.EndOffsets[i];
            }
            if (i < batch.Events.Length) break;
            consumed++;
        }
        await PublishAsync(_round, cancellationToken);
        _round.Clear();
        for (var done = 0; done < consumed; done++) journal.Recent.Release(_inMemory.Dequeue());
        return new JournalCheckpoint(checkpoint.Segment, end);
    }

    /// <summary>Publishes everything complete in the journal files past the checkpoint; returns the new checkpoint.</summary>
    private async Task<(JournalCheckpoint Checkpoint, bool Progress)> PublishFromDiskAsync(JournalCheckpoint checkpoint, CancellationToken cancellationToken)
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
            Interlocked.Add(ref _readFromDisk, lines.Count);
            foreach (var batch in lines.Chunk(options.PublishBatchSize))
            {
                await PublishAsync([.. batch.Where(line => line.Event is not null).Select(line => new JournaledEvent(line.Event!, line.Json))], cancellationToken);
                checkpoint = new JournalCheckpoint(checkpoint.Segment, batch[^1].EndOffset);
            }
            return (checkpoint, true);
        }

        if (!finished) return (checkpoint, false);
        if (new FileInfo(path).Length > checkpoint.Offset)
            logger.LogWarning("Journal segment {Segment} ends with a torn line (crash while writing); skipped", checkpoint.Segment);
        File.Delete(path);
        var following = segments.Count > 1 ? segments[1] : checkpoint.Segment + 1;
        checkpoint = new JournalCheckpoint(following, 0);
        SaveCheckpoint(checkpoint);
        return (checkpoint, true);
    }

    /// <summary>Publishes the events as messages within the configured limits, all in flight at once; returns when all are confirmed.</summary>
    private async Task PublishAsync(List<JournaledEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        var publishes = new List<Task>(events.Count / options.EventsPerMessage + 1);
        for (var start = 0; start < events.Count;)
        {
            var count = MessageLength(events, start);
            var included = events.GetRange(start, count);
            var message = new RequestCompletedBatch { Events = [.. included.Select(e => e.Event)] };
            var serializer = new JournalLinesSerializer([.. included.Select(e => e.Json)]);
            publishes.Add(bus.Publish(message, context => context.Serializer = serializer, timeout.Token));
            start += count;
        }
        await Task.WhenAll(publishes);
        Interlocked.Add(ref _published, events.Count);
    }

    /// <summary>How many events from <paramref name="start"/> go into one message: at least one, then as many as the limits allow.</summary>
    private int MessageLength(List<JournaledEvent> events, int start)
    {
        var count = 1;
        long bytes = events[start].Json.Length;
        while (start + count < events.Count && count < options.EventsPerMessage && bytes + events[start + count].Json.Length <= options.MaxMessageBytes)
            bytes += events[start + count++].Json.Length;
        return count;
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
            var line = buffer.AsMemory(start, newline - start);
            result.Add(new JournalLine(Parse(line.Span, offset + start), offset + newline + 1, line));
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

    private sealed record JournalLine(RequestCompleted? Event, long EndOffset, ReadOnlyMemory<byte> Json);

    /// <summary>An event and its JSON as journaled: what goes on the wire, and about what it weighs in a message.</summary>
    private readonly record struct JournaledEvent(RequestCompleted Event, ReadOnlyMemory<byte> Json);
}
