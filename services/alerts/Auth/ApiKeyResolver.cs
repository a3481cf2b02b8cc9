using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Requesty.Alerts.Application.Budgets;
using Requesty.Alerts.Infrastructure.Management;
using Requesty.Contracts.Keys;

namespace Requesty.Alerts.Auth;

/// <summary>
/// Resolves a caller's gateway API key through management's GET /internal/keys/{sha256 hex}
/// (internal token). Hits are cached 30 s, misses 5 s, so a revocation applies within seconds;
/// only the hash is ever sent or kept.
/// </summary>
public sealed class ApiKeyResolver(
    IHttpClientFactory httpClients, IMemoryCache cache, IConfiguration configuration, IOptions<ManagementOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan HitTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MissTtl = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The key's context, or null when the key is unknown, revoked or expired.</returns>
    /// <exception cref="HttpRequestException">Management could not answer.</exception>
    public async Task<ApiKeyContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        var cacheKey = $"alerts-api-key:{hash}";
        if (!cache.TryGetValue(cacheKey, out ApiKeyContext? context))
        {
            context = await FetchAsync(hash, cancellationToken);
            cache.Set(cacheKey, context, context is null ? MissTtl : HitTtl);
        }
        return context is { ExpiresAt: { } expiresAt } && expiresAt <= clock.GetUtcNow().UtcDateTime ? null : context;
    }

    private async Task<ApiKeyContext?> FetchAsync(string hash, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            var http = httpClients.CreateClient(ManagementBudgetsClient.HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"internal/keys/{hash}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", configuration["Internal:Token"] ?? "");
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<ApiKeyContext>(Json, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException("Management did not answer the key lookup in time.", e);
        }
        catch (JsonException e)
        {
            throw new HttpRequestException("Management answered an unreadable key context.", e);
        }
    }
}
