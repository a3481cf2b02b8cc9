using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Keys;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Support;

/// <summary>
/// Management's GET /internal/keys/{hash} over real HTTP on 127.0.0.1, answering for the keys the
/// tests issue, so the gateway's key lookup runs exactly as in production.
/// </summary>
public sealed class ManagementStub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ApiKeyContext> _keys = new();
    private readonly WebApplication _app;

    private ManagementStub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
        {
            if (request.Headers.Authorization.ToString() != $"Bearer {TestServers.InternalToken}") return Results.Unauthorized();
            return _keys.TryGetValue(hash, out var context) ? Results.Json(context) : Results.NotFound();
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Started synchronously so a fixture can pass its address to the gateway's constructor arguments.</summary>
    public static ManagementStub Start()
    {
        var stub = new ManagementStub();
        stub._app.StartAsync().GetAwaiter().GetResult();
        stub.BaseAddress = new Uri(stub._app.Urls.First());
        return stub;
    }

    /// <summary>A new gateway API key of <paramref name="organizationId"/> (role "member" unless told).</summary>
    public string IssueKey(
        Guid organizationId, DateTime? expiresAt = null, Guid? userId = null, string role = ApiKeyRoles.Member, params string[] permissions)
    {
        var key = $"rqsty-sk-test-{Guid.NewGuid():N}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        _keys[hash] = new ApiKeyContext
        {
            KeyHash = hash,
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = organizationId,
            UserId = userId ?? Guid.NewGuid(),
            Role = role,
            Permissions = permissions.Length == 0 ? ["chat"] : permissions,
            ExpiresAt = expiresAt,
        };
        return key;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
