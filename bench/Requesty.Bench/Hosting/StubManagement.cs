using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Requesty.Contracts.Keys;

namespace Requesty.Bench.Hosting;

/// <summary>
/// Management's internal key API serving the bench's one key. The router reads it at start-up
/// only (keys are cached in memory), so hosting it in the bench process costs nothing during load.
/// </summary>
public sealed class StubManagement : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubManagement(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<StubManagement> StartAsync(string apiKey, string internalToken)
    {
        var key = new ApiKeyContext
        {
            KeyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))),
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = Guid.NewGuid(),
            UserId = Guid.NewGuid(),
            Permissions = ["chat"],
            Version = 1,
        };
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseAddress.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {internalToken}";
        app.MapGet("/internal/keys", (HttpRequest request) => Authorized(request) ? Results.Json(new[] { key }) : Results.Unauthorized());
        // The router is ready only after its first policy load; the bench routes no policies.
        app.MapGet("/internal/policies", (HttpRequest request) => Authorized(request) ? Results.Json(Array.Empty<object>()) : Results.Unauthorized());
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
            !Authorized(request) ? Results.Unauthorized() : hash == key.KeyHash ? Results.Json(key) : Results.NotFound());
        await app.StartAsync();
        return new StubManagement(app, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
