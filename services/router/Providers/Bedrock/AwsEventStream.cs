using System.Buffers.Binary;
using System.Text;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>One message of the AWS event-stream encoding: its string headers and its payload.</summary>
public sealed record AwsEventStreamMessage(IReadOnlyDictionary<string, string> Headers, byte[] Payload)
{
    public string? EventType => Headers.GetValueOrDefault(":event-type");
    public string? MessageType => Headers.GetValueOrDefault(":message-type");
    public string? ExceptionType => Headers.GetValueOrDefault(":exception-type");
}

/// <summary>
/// Reads application/vnd.amazon.eventstream: each message is total length (4 bytes, big-endian), headers length (4),
/// prelude CRC32 (4), headers, payload, message CRC32 (4). Header: name length (1), name, type (1), value.
/// </summary>
public static class AwsEventStream
{
    private const int PreludeLength = 12;

    public static async IAsyncEnumerable<AwsEventStreamMessage> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prelude = new byte[PreludeLength];
        while (await FillAsync(stream, prelude, cancellationToken))
        {
            var totalLength = BinaryPrimitives.ReadInt32BigEndian(prelude);
            var headersLength = BinaryPrimitives.ReadInt32BigEndian(prelude.AsSpan(4));
            if (Crc32.Compute(prelude.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32BigEndian(prelude.AsSpan(8)))
                throw new InvalidDataException("Event stream prelude checksum mismatch.");
            if (totalLength < PreludeLength + 4 || headersLength < 0 || headersLength > totalLength - PreludeLength - 4)
                throw new InvalidDataException("Event stream message has invalid lengths.");

            var message = new byte[totalLength];
            prelude.CopyTo(message, 0);
            if (!await FillAsync(stream, message.AsMemory(PreludeLength), cancellationToken))
                throw new InvalidDataException("Event stream ended inside a message.");
            if (Crc32.Compute(message.AsSpan(0, totalLength - 4)) != BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(totalLength - 4)))
                throw new InvalidDataException("Event stream message checksum mismatch.");

            var headers = ReadHeaders(message.AsSpan(PreludeLength, headersLength));
            var payload = message.AsSpan(PreludeLength + headersLength, totalLength - PreludeLength - headersLength - 4).ToArray();
            yield return new AwsEventStreamMessage(headers, payload);
        }
    }

    /// <summary>Encodes a message with string headers (for tests and recorded payloads).</summary>
    public static byte[] Encode(IReadOnlyDictionary<string, string> headers, byte[] payload)
    {
        var headerBytes = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)nameBytes.Length);
            headerBytes.Write(nameBytes);
            headerBytes.WriteByte(7);
            headerBytes.WriteByte((byte)(valueBytes.Length >> 8));
            headerBytes.WriteByte((byte)valueBytes.Length);
            headerBytes.Write(valueBytes);
        }
        var total = PreludeLength + (int)headerBytes.Length + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), (int)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.Compute(message.AsSpan(0, 8)));
        headerBytes.ToArray().CopyTo(message, PreludeLength);
        payload.CopyTo(message, PreludeLength + (int)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32.Compute(message.AsSpan(0, total - 4)));
        return message;
    }

    private static Dictionary<string, string> ReadHeaders(ReadOnlySpan<byte> bytes)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < bytes.Length)
        {
            var nameLength = bytes[position++];
            var name = Encoding.UTF8.GetString(bytes.Slice(position, nameLength));
            position += nameLength;
            var type = bytes[position++];
            switch (type)
            {
                case 0 or 1: break; // bool true / false
                case 2: position += 1; break;
                case 3: position += 2; break;
                case 4: position += 4; break;
                case 5 or 8: position += 8; break; // int64, timestamp
                case 9: position += 16; break; // uuid
                case 6 or 7: // bytes, string
                    var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[position..]);
                    position += 2;
                    if (type == 7) headers[name] = Encoding.UTF8.GetString(bytes.Slice(position, length));
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unknown event stream header type {type}.");
            }
        }
        return headers;
    }

    private static async Task<bool> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], cancellationToken);
            if (n == 0) return read == 0 ? false : throw new InvalidDataException("Event stream ended inside a message.");
            read += n;
        }
        return true;
    }
}

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as event-stream checksums use.</summary>
public static class Crc32
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
