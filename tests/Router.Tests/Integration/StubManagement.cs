using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// Management's internal key API, served from a list, for router component tests (the
/// end-to-end tests use the real management service).
/// </summary>
public static class StubManagement
{
    public static Func<string[], WebApplication> Build(IReadOnlyList<ApiKeyContext> keys, string internalToken, IReadOnlyList<RoutingPolicy>? policies = null) => args =>
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var app = builder.Build();
        app.MapGet("/internal/policies", (HttpRequest request) =>
            Authorized(request, internalToken) ? Results.Ok(policies ?? []) : Results.Unauthorized());
        app.MapGet("/internal/keys", (HttpRequest request) =>
            Authorized(request, internalToken) ? Results.Ok(keys) : Results.Unauthorized());
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
            !Authorized(request, internalToken) ? Results.Unauthorized()
            : keys.FirstOrDefault(k => k.KeyHash == hash) is { } key ? Results.Ok(key) : Results.NotFound());
        return app;
    };

    private static bool Authorized(HttpRequest request, string token) =>
        request.Headers.Authorization.ToString() == $"Bearer {token}";
}
