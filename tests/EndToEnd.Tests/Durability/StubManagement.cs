using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Keys;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// Management's internal API for the router (keys, policies) served from memory, so the
/// durability tests need no PostgreSQL. Each test adds a key of its own before starting a router.
/// </summary>
public sealed class StubManagement(string internalToken)
{
    private readonly ConcurrentDictionary<string, ApiKeyContext> _keys = new();

    public void Add(ApiKeyContext key) => _keys[key.KeyHash] = key;

    public WebApplication Build(string[] args)
    {
        var app = WebApplication.CreateSlimBuilder(args).Build();
        app.MapGet("/internal/keys", (HttpRequest request) =>
            Authorized(request) ? Results.Ok(_keys.Values.ToList()) : Results.Unauthorized());
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
            !Authorized(request) ? Results.Unauthorized()
            : _keys.TryGetValue(hash, out var key) ? Results.Ok(key) : Results.NotFound());
        // No routing policies: every request goes to the model it names.
        app.MapGet("/internal/policies", (HttpRequest request) =>
            Authorized(request) ? Results.Ok(Array.Empty<object>()) : Results.Unauthorized());
        return app;
    }

    private bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {internalToken}";
}
