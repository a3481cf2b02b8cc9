using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public sealed class PooledBodyTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(700, true)]
    [InlineData(16 * 1024, false)] // exactly the first buffer when no length is announced
    [InlineData(100_000, false)] // grows several times
    [InlineData(100_000, true)]
    public async Task The_answer_is_read_whole_in_order(int size, bool announceLength)
    {
        var body = Enumerable.Range(0, size).Select(i => (byte)(i * 31 % 251)).ToArray();
        using var content = new StreamContent(new TrickleStream(body, chunk: 1000));
        if (announceLength) content.Headers.ContentLength = size;

        using var answer = await PooledBody.ReadAsync(content, CancellationToken.None);

        Assert.Equal(body, answer.Memory.ToArray());
    }

    [Fact]
    public async Task A_failed_read_throws_and_gives_nothing_back()
    {
        using var content = new StreamContent(new TrickleStream(new byte[50_000], chunk: 1000, failAfter: 20_000));

        await Assert.ThrowsAsync<IOException>(() => PooledBody.ReadAsync(content, CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_twice_is_harmless_and_leaves_nothing_to_read()
    {
        using var content = new ByteArrayContent("{\"id\":\"x\"}"u8.ToArray());
        var answer = await PooledBody.ReadAsync(content, CancellationToken.None);
        Assert.Equal(10, answer.Memory.Length);

        answer.Dispose();
        answer.Dispose();

        Assert.True(answer.Memory.IsEmpty);
    }

    /// <summary>Hands out the bytes a chunk at a time, like a socket; optionally fails part-way.</summary>
    private sealed class TrickleStream(byte[] data, int chunk, int failAfter = int.MaxValue) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter) throw new IOException("connection reset");
            var length = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
