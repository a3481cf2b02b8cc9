using System.Text;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.Recording;

namespace Requesty.ProviderSimulator.Streaming;

/// <summary>
/// Writes server-sent events and flushes each one. Applies the stream pacing of a behaviour:
/// ttft_ms before the first content event, chunk_delay_ms between events. Records when the first content event
/// went out (the request log's first_content_at).
/// </summary>
public sealed class SseWriter(HttpResponse response, SimBehaviour? behaviour, CancellationToken token)
{
    private bool _started;
    private bool _contentSent;

    /// <summary>False once the client has gone (or the simulator stops); callers simply stop writing.</summary>
    public bool Alive { get; private set; } = true;

    public async Task StartAsync(string contentType = "text/event-stream")
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(token);
        await response.Body.FlushAsync(token);
    }

    public Task EventAsync(string? name, JsonNode data, bool content = false) => WriteAsync(Format(name, data.ToJsonString(WireJson.Options)), content);

    public Task RawAsync(string text, bool content = false) => WriteAsync(text, content);

    public static string Format(string? name, string data) =>
        name is null ? $"data: {data}\n\n" : $"event: {name}\ndata: {data}\n\n";

    private async Task WriteAsync(string text, bool content)
    {
        if (!Alive) return;
        var firstContent = content && !_contentSent;
        var delay = firstContent ? behaviour?.TtftMs ?? behaviour?.ChunkDelayMs : _started ? behaviour?.ChunkDelayMs : null;
        if (content) _contentSent = true;
        _started = true;
        if (delay is > 0 && !await BehaviourGate.DelayAsync(TimeSpan.FromMilliseconds(delay.Value), token))
        {
            Alive = false;
            return;
        }
        try
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token);
            await response.Body.FlushAsync(token);
            if (firstContent) response.HttpContext.Features.Get<ResponseTimeline>()?.MarkFirstContent();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            Alive = false;
        }
    }
}
