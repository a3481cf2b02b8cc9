using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>Streams rows as JSONEachRow (one JSON object per line) without buffering the whole batch.</summary>
internal sealed class JsonEachRowContent<T>(IReadOnlyCollection<T> rows, JsonTypeInfo<T> typeInfo) : HttpContent
{
    private const int FlushThresholdBytes = 64 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = typeInfo.Options.Encoder, SkipValidation = true });
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(writer, row, typeInfo);
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset(buffer);
            if (buffer.WrittenCount >= FlushThresholdBytes)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }
        if (buffer.WrittenCount > 0) await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
