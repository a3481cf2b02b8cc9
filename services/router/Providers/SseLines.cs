using System.Buffers;
using System.IO.Pipelines;
using System.Text;

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

    /// <summary>A line of an upstream event stream, without its line break.</summary>
    public delegate void LineRelay(ReadOnlySpan<byte> line);

    /// <summary>
    /// Hands every line of an upstream event stream to <paramref name="relayLine"/> (it writes what the client gets to
    /// the response's BodyWriter) and sends once per upstream read: events that arrived together leave together.
    /// At the end of the upstream stream the response is completed: nothing may be written to it afterwards.
    /// </summary>
    public static async Task RelayAsync(Stream upstream, HttpResponse response, LineRelay relayLine, CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(upstream,
                line =>
                {
                    relayLine(line.Span);
                    return ValueTask.FromResult(false);
                },
                async () => await response.BodyWriter.FlushAsync(cancellationToken),
                cancellationToken);
            // The last events and the end of the response leave in one send.
            await response.CompleteAsync();
        }
        finally
        {
            await upstream.DisposeAsync();
        }
    }

    /// <summary>
    /// Reads an upstream event stream line by line: <paramref name="onLine"/> gets each line (valid until it returns;
    /// true ends the reading), <paramref name="afterRead"/> runs after every upstream read but the last, so what the
    /// lines of one read wrote can leave in one send.
    /// </summary>
    public static async Task ReadAsync(Stream upstream, Func<ReadOnlyMemory<byte>, ValueTask<bool>> onLine, Func<ValueTask> afterRead,
        CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(upstream, new StreamPipeReaderOptions(leaveOpen: true));
        var line = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var done = false;
            while (!done)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (!done && Next(ref buffer, read.IsCompleted, ref line, out var length))
                    done = await onLine(line.AsMemory(0, length));
                reader.AdvanceTo(buffer.Start, buffer.End);
                done |= read.IsCompleted;
                if (!done) await afterRead();
            }
        }
        finally
        {
            await reader.CompleteAsync();
            ArrayPool<byte>.Shared.Return(line);
        }
    }

    /// <summary>Writes one line of text and its line break to the response (sent by the next flush).</summary>
    public static void Write(HttpResponse response, string line)
    {
        var span = response.BodyWriter.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
        var written = Encoding.UTF8.GetBytes(line, span);
        span[written] = (byte)'\n';
        response.BodyWriter.Advance(written + 1);
    }

    /// <summary>Writes one line as it came and its line break to the response (sent by the next flush).</summary>
    public static void Write(HttpResponse response, ReadOnlySpan<byte> line)
    {
        var span = response.BodyWriter.GetSpan(line.Length + 1);
        line.CopyTo(span);
        span[line.Length] = (byte)'\n';
        response.BodyWriter.Advance(line.Length + 1);
    }
}
