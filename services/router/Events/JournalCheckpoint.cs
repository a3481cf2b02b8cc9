using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Requesty.Router.Events;

/// <summary>
/// How far the publisher got: segment index and byte offset of the first unpublished line.
/// Losing an update only means republishing a few events, which consumers tolerate (they are idempotent).
/// </summary>
public sealed record JournalCheckpoint(long Segment, long Offset)
{
    internal const string FileName = "checkpoint";

    public static JournalCheckpoint Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return new JournalCheckpoint(0, 0);
        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
               && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new JournalCheckpoint(segment, offset)
            : new JournalCheckpoint(0, 0);
    }

    /// <summary>Replaces the file in one go (temporary file + rename); for the occasional write.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Format());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Fixed width (zero-padded), so an in-place overwrite always replaces the whole content.</summary>
    internal string Format() => string.Create(CultureInfo.InvariantCulture, $"{Segment:D19} {Offset:D19}");
}

/// <summary>
/// The checkpoint file kept open by the publisher and overwritten in place with one fixed-width write:
/// no temporary file and no rename per update (on ext4 a rename over a file forces the new file's data
/// out to disk, which made frequent checkpoints expensive). A single small write is never torn by a
/// process crash; a garbled file after a power loss reads as "from the start" (more republishing, no loss).
/// </summary>
internal sealed class JournalCheckpointFile(string directory) : IDisposable
{
    private SafeFileHandle? _handle;

    public void Write(JournalCheckpoint checkpoint)
    {
        if (_handle is null)
        {
            // The first write replaces whatever an older version left (other width) atomically, then stays in place.
            checkpoint.Save(directory);
            _handle = File.OpenHandle(Path.Combine(directory, JournalCheckpoint.FileName), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return;
        }
        RandomAccess.Write(_handle, Encoding.ASCII.GetBytes(checkpoint.Format()), fileOffset: 0);
    }

    public void Dispose() => _handle?.Dispose();
}
