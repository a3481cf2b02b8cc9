using Requesty.Contracts.Events;

namespace Requesty.Router.Events;

/// <summary>
/// Events the writer just appended and fsynced as one batch, kept in memory for the publisher with the bytes written
/// for them (<paramref name="Lines"/>, from <paramref name="StartOffset"/> on): <paramref name="EndOffsets"/>[i] is the
/// byte offset just past event i's line in its segment.
/// </summary>
public sealed record JournalBatch(long Segment, long StartOffset, RequestCompleted[] Events, long[] EndOffsets, ReadOnlyMemory<byte> Lines)
{
    public long EndOffset => EndOffsets.Length == 0 ? StartOffset : EndOffsets[^1];

    /// <summary>Event <paramref name="index"/>'s JSON as journaled, without its line end.</summary>
    public ReadOnlyMemory<byte> JsonOf(int index)
    {
        var start = index == 0 ? StartOffset : EndOffsets[index - 1];
        return Lines[(int)(start - StartOffset)..(int)(EndOffsets[index] - 1 - StartOffset)];
    }
}

/// <summary>How far the journal has written and fsynced: everything before Offset in Segment is on disk.</summary>
public sealed record JournalPosition(long Segment, long Offset);
