using System.Buffers;
using System.Text;

namespace Requesty.Router.Providers;

/// <summary>Writes server-sent events to the client, flushing each one so it leaves at once.</summary>
public static class SseWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken);
    }

    /// <summary>One "data:" event, encoded straight into the response's buffer and flushed once.</summary>
    public static async Task WriteDataAsync(HttpResponse response, string payload, CancellationToken cancellationToken)
    {
        WriteData(response, payload);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>One "data:" event, encoded straight into the response's buffer; the next flush sends it.</summary>
    public static void WriteData(HttpResponse response, string payload)
    {
        var writer = response.BodyWriter;
        writer.Write(DataPrefix);
        Encoding.UTF8.GetBytes(payload, writer);
        writer.Write(EventEnd);
    }
}
