using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// A real HTTP proxy in front of the test ClickHouse that can make every INSERT fail like an
/// outage (HTTP 503), so tests can watch the service retry without touching the shared server.
/// </summary>
public sealed class FlakyClickHouseProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _rejectedInserts;

    private FlakyClickHouseProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public volatile bool FailInserts;

    public int RejectedInserts => Volatile.Read(ref _rejectedInserts);

    public Uri Url { get; private set; } = null!;

    public static async Task<FlakyClickHouseProxy> StartAsync(string upstreamUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FlakyClickHouseProxy(app, new HttpClient { BaseAddress = new Uri(upstreamUrl) });
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query["query"].ToString();
        if (FailInserts && query.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _rejectedInserts);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Code: 210, e.displayText() = DB::NetException: simulated outage");
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("X-ClickHouse", StringComparison.OrdinalIgnoreCase)))
            forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            body.Position = 0;
            forward.Content = new StreamContent(body);
        }
        using var response = await _upstream.SendAsync(forward);
        context.Response.StatusCode = (int)response.StatusCode;
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
