using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Events the writer just appended and fsynced as one batch, kept in memory for the publisher with the JSON written for
/// each (<paramref name="Json"/>[i], without its line end): <paramref name="EndOffsets"/>[i] is the byte offset just
/// past event i's line in its segment. One small array per event, so a big batch never makes a large object.
/// </summary>
public sealed record JournalBatch(long Segment, long StartOffset, RequestCompleted[] Events, long[] EndOffsets, byte[][] Json)
{
    public long EndOffset => EndOffsets.Length == 0 ? StartOffset : EndOffsets[^1];
}

/// <summary>How far the journal has written and fsynced: everything before Offset in Segment is on disk.</summary>
public sealed record JournalPosition(long Segment, long Offset);
