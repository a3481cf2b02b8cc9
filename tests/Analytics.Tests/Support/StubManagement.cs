using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Requesty.Contracts.Keys;
using Requesty.ServiceDefaults;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// A real HTTP stand-in for management's GET /internal/keys/{sha256} on 127.0.0.1 (internal token required),
/// serving the key contexts tests register. One per test process; keys are random so tests never collide.
/// </summary>
public sealed class StubManagement
{
    private static readonly Lazy<StubManagement> Instance = new(Start);
    private readonly ConcurrentDictionary<string, ApiKeyContext> _keys = new(StringComparer.Ordinal);
    private int _lookups;

    public static StubManagement Shared => Instance.Value;

    public string Url { get; private set; } = "";

    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>Registers a new key and returns its plaintext (what a caller sends as Bearer).</summary>
    public string AddKey(Guid organizationId, Guid? userId, string role, params string[] permissions)
    {
        var key = "rqy_test_" + Guid.NewGuid().ToString("N");
        var hash = ManagementKeyResolver.Hash(key);
        _keys[hash] = new ApiKeyContext
        {
            KeyHash = hash, ApiKeyId = Guid.NewGuid(), OrganizationId = organizationId, UserId = userId,
            Role = role, Permissions = permissions,
        };
        return key;
    }

    private static StubManagement Start()
    {
        var stub = new StubManagement();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
        {
            Interlocked.Increment(ref stub._lookups);
            if (request.Headers.Authorization.ToString() != "Bearer " + TestServers.InternalToken) return Results.Unauthorized();
            return stub._keys.TryGetValue(hash, out var context) ? Results.Json(context, json) : Results.NotFound();
        });
        app.StartAsync().GetAwaiter().GetResult();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return stub;
    }
}
