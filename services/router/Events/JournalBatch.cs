using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Events the writer just appended and fsynced as one batch, kept in memory for the publisher:
/// <paramref name="EndOffsets"/>[i] is the byte offset just past event i's line in its segment.
/// </summary>
public sealed record JournalBatch(long Segment, long StartOffset, RequestCompleted[] Events, long[] EndOffsets)
{
    public long EndOffset => EndOffsets.Length == 0 ? StartOffset : EndOffsets[^1];
}

/// <summary>How far the journal has written and fsynced: everything before Offset in Segment is on disk.</summary>
public sealed record JournalPosition(long Segment, long Offset);
