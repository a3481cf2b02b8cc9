using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Requesty.Contracts.Keys;

namespace Requesty.McpGateway.Auth;

/// <summary>
/// Resolves a caller's gateway API key through management's GET /internal/keys/{sha256} (internal
/// token). Answers are cached briefly (misses shorter) so an MCP session does not hit management per
/// message, while revocations still apply within seconds.
/// </summary>
public sealed class GatewayKeyResolver(HttpClient http, IMemoryCache cache, IConfiguration configuration, TimeProvider clock)
{
    public static readonly TimeSpan HitTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MissTtl = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The key's context, or null when the key is unknown, revoked or expired.</returns>
    /// <exception cref="HttpRequestException">Management could not answer.</exception>
    public async Task<ApiKeyContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        var cacheKey = $"gateway-key:{hash}";
        if (!cache.TryGetValue(cacheKey, out ApiKeyContext? context))
        {
            context = await FetchAsync(hash, cancellationToken);
            cache.Set(cacheKey, context, context is null ? MissTtl : HitTtl);
        }
        return context is { ExpiresAt: { } expiresAt } && expiresAt <= clock.GetUtcNow().UtcDateTime ? null : context;
    }

    private async Task<ApiKeyContext?> FetchAsync(string hash, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"internal/keys/{hash}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", configuration["Internal:Token"] ?? "");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ApiKeyContext>(Json, cancellationToken);
    }
}
