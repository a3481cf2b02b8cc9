using System.Buffers;

namespace Requesty.Router.Pipeline;

/// <summary>
/// A whole body read into a buffer from the shared pool: an upstream answer that is only scanned and relayed, or a
/// request body that is parsed (the parse copies what it keeps). ReadAsByteArrayAsync would allocate it twice (its
/// buffer and the returned copy) on every request. Nothing may keep <see cref="Memory"/> past <see cref="Dispose"/>.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private const int MaxInitialBytes = 4 * 1024 * 1024;
    private byte[]? _buffer;
    private int _length;

    private PooledBody(byte[] buffer) => _buffer = buffer;

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    public static async Task<PooledBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        return await ReadAsync(stream, content.Headers.ContentLength, cancellationToken);
    }

    /// <summary>Reads <paramref name="stream"/> to its end (it is not disposed); <paramref name="announced"/> sizes the first buffer.</summary>
    public static async Task<PooledBody> ReadAsync(Stream stream, long? announced, CancellationToken cancellationToken)
    {
        // One byte more than announced, so the final zero-length read needs no bigger buffer.
        var body = new PooledBody(ArrayPool<byte>.Shared.Rent(announced is > 0 and < MaxInitialBytes ? (int)announced + 1 : 16 * 1024));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(body.FreeSpace(), cancellationToken)) > 0) body._length += read;
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private Memory<byte> FreeSpace()
    {
        if (_length == _buffer!.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        return _buffer.AsMemory(_length);
    }

    public void Dispose()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
