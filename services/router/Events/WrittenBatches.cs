namespace Requesty.Router.Events;

/// <summary>
/// Hands batches from the journal writer to the publisher in memory, so the publisher does not read back
/// what was just written. Bounded: when the publisher lags (broker down) further batches are not kept,
/// and the publisher finds the gap and reads those events from disk instead.
/// </summary>
public sealed class WrittenBatches(int capacityEvents)
{
    private readonly Lock _lock = new();
    private readonly Queue<JournalBatch> _added = new();
    private int _heldEvents;

    /// <summary>Keeps the batch unless that would exceed the capacity (then its events stay on disk only).</summary>
    public bool TryAdd(JournalBatch batch)
    {
        lock (_lock)
        {
            if (_heldEvents + batch.Events.Length > capacityEvents) return false;
            _heldEvents += batch.Events.Length;
            _added.Enqueue(batch);
            return true;
        }
    }

    /// <summary>Moves the batches added since the last call to the publisher's own queue (oldest first).</summary>
    public void MoveTo(Queue<JournalBatch> target)
    {
        lock (_lock)
        {
            while (_added.TryDequeue(out var batch)) target.Enqueue(batch);
        }
    }

    /// <summary>The publisher is done with a batch (published or found already published).</summary>
    public void Release(JournalBatch batch)
    {
        lock (_lock) _heldEvents -= batch.Events.Length;
    }
}
