using System.Globalization;

namespace Requesty.Router.Events;

/// <summary>
/// How far the publisher got: segment index and byte offset of the first unpublished line.
/// Written to a temporary file and renamed, so it is never half-written. Losing an update only
/// means republishing a few events, which consumers tolerate (they are idempotent).
/// </summary>
public sealed record JournalCheckpoint(long Segment, long Offset)
{
    private const string FileName = "checkpoint";

    public static JournalCheckpoint Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return new JournalCheckpoint(0, 0);
        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
               && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new JournalCheckpoint(segment, offset)
            : new JournalCheckpoint(0, 0);
    }

    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{Segment} {Offset}"));
        File.Move(temporary, path, overwrite: true);
    }
}
