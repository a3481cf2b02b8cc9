using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Recording;

/// <summary>
/// Records every provider request (not the simulator's own /__sim and health routes) before it is handled, and when its
/// response headers go out; streams add their first content moment through the <see cref="ResponseTimeline"/> feature.
/// </summary>
public sealed class RecordingMiddleware(RequestDelegate next, RequestLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/__sim") || path.StartsWithSegments("/healthz"))
        {
            await next(context);
            return;
        }

        var body = await context.ReadJsonBodyAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var timeline = new ResponseTimeline();
        context.Features.Set(timeline);
        context.Response.OnStarting(() =>
        {
            timeline.MarkHeadersSent();
            return Task.CompletedTask;
        });
        log.Add(new RecordedRequest(DateTimeOffset.UtcNow, context.Request.Method, path.Value ?? "/",
            context.Request.QueryString.Value ?? "", headers, body?.DeepClone()), timeline);
        await next(context);
    }
}
