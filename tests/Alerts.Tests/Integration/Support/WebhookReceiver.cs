using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Requesty.Alerts.Tests.Integration.Support;

public sealed record ReceivedWebhook(string Hook, string Body, IReadOnlyDictionary<string, string> Headers, int AnsweredStatus)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every webhook POST to /hooks/{name}. Per hook it can
/// answer a scripted sequence of statuses (then 200) or hang until the caller gives up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new();
    private readonly ConcurrentDictionary<string, bool> _hanging = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedWebhook> Received => _received;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>A fresh hook name and its URL.</summary>
    public string NewHook(out string url)
    {
        var name = Guid.NewGuid().ToString("N");
        url = new Uri(BaseAddress, $"hooks/{name}").ToString();
        return name;
    }

    public void AnswerInOrder(string hook, params int[] statuses) => _scripts[hook] = new ConcurrentQueue<int>(statuses);

    public void Hang(string hook) => _hanging[hook] = true;

    public IReadOnlyList<ReceivedWebhook> For(string hook) => _received.Where(r => r.Hook == hook).ToList();

    /// <summary>Waits until the hook has received at least <paramref name="count"/> requests.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string hook, int count, TimeSpan? timeout = null) =>
        Requesty.TestKit.Eventually.GetAsync(() =>
        {
            var got = For(hook);
            return Task.FromResult(got.Count >= count ? got : null);
        }, timeout ?? TimeSpan.FromSeconds(30), $"{count} webhook(s) on {hook}");

    private async Task<IResult> HandleAsync(string name, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        if (_hanging.ContainsKey(name))
        {
            _received.Enqueue(new ReceivedWebhook(name, body, headers, 0));
            try { await Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted); }
            catch (OperationCanceledException) { }
            return Results.StatusCode(200);
        }
        var status = _scripts.TryGetValue(name, out var script) && script.TryDequeue(out var next) ? next : 200;
        _received.Enqueue(new ReceivedWebhook(name, body, headers, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
