using Requesty.Router.Events;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>What a router journal folder holds: drained means nothing is left to publish.</summary>
public sealed record JournalState(JournalCheckpoint Checkpoint, IReadOnlyList<(long Segment, long Bytes)> Segments)
{
    public static JournalState Read(string directory) => new(
        JournalCheckpoint.Load(directory),
        JournalSegments.List(directory).Select(s => (s, new FileInfo(JournalSegments.PathOf(directory, s)).Length)).ToList());

    /// <summary>
    /// Every segment before the checkpoint's was deleted, the checkpoint's own segment is published to
    /// its end, and no later segment holds anything.
    /// </summary>
    public bool Drained => Segments.All(s =>
        (s.Segment == Checkpoint.Segment && s.Bytes == Checkpoint.Offset) || (s.Segment > Checkpoint.Segment && s.Bytes == 0));

    /// <summary>Bytes written to the journal that the publisher has not confirmed yet.</summary>
    public long UnpublishedBytes => Segments
        .Where(s => s.Segment >= Checkpoint.Segment)
        .Sum(s => s.Segment == Checkpoint.Segment ? s.Bytes - Checkpoint.Offset : s.Bytes);

    public override string ToString() =>
        $"checkpoint {Checkpoint.Segment}:{Checkpoint.Offset}; segments {string.Join(", ", Segments.Select(s => $"{s.Segment} ({s.Bytes} B)"))}";
}
