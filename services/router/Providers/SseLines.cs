using System.Buffers;

namespace Requesty.Router.Providers;

/// <summary>Splits an upstream event stream read through a <see cref="System.IO.Pipelines.PipeReader"/> into lines.</summary>
public static class SseLines
{
    /// <summary>
    /// The next line of <paramref name="buffer"/> (without its line break) copied into <paramref name="line"/>, which
    /// grows when needed; at the end of the stream a last line without a line break counts too.
    /// </summary>
    public static bool Next(ref ReadOnlySequence<byte> buffer, bool completed, ref byte[] line, out int length)
    {
        ReadOnlySequence<byte> found;
        var end = buffer.PositionOf((byte)'\n');
        if (end is { } newline)
        {
            found = buffer.Slice(0, newline);
            buffer = buffer.Slice(buffer.GetPosition(1, newline));
        }
        else if (completed && !buffer.IsEmpty)
        {
            found = buffer;
            buffer = buffer.Slice(buffer.End);
        }
        else
        {
            length = 0;
            return false;
        }

        length = (int)found.Length;
        if (line.Length < length)
        {
            ArrayPool<byte>.Shared.Return(line);
            line = ArrayPool<byte>.Shared.Rent(length);
        }
        found.CopyTo(line);
        if (length > 0 && line[length - 1] == '\r') length--;
        return true;
    }
}
