using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Requesty.Contracts.Keys;

namespace Requesty.ServiceDefaults;

/// <summary>
/// Resolves a caller's gateway API key through management's GET /internal/keys/{sha256 hex} (internal
/// token). Answers are cached (<see cref="ManagementKeyResolverOptions.HitTtl"/>, unknown keys for the
/// shorter <see cref="ManagementKeyResolverOptions.MissTtl"/>) so a session does not ask management per
/// request while revocations and new keys still apply within seconds. Only the hash is ever sent or kept.
/// Register with <see cref="ManagementKeyResolverExtensions.AddManagementKeyResolver"/>.
/// </summary>
public sealed class ManagementKeyResolver(
    IHttpClientFactory httpClients, IConfiguration configuration, IOptions<ManagementKeyResolverOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "management-keys";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, (ApiKeyContext? Context, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Lower-case hex SHA-256 of the key: how management knows it.</summary>
    public static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <returns>The key's context, or null when the key is unknown, revoked or expired.</returns>
    /// <exception cref="HttpRequestException">Management could not answer (in time, or readably).</exception>
    public async Task<ApiKeyContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = Hash(apiKey);
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var entry) || entry.Expires <= now)
        {
            var context = await FetchAsync(hash, cancellationToken);
            var settings = options.Value;
            if (_cache.Count >= settings.MaxCachedKeys) _cache.Clear();
            entry = (context, now + (context is null ? settings.MissTtl : settings.HitTtl));
            _cache[hash] = entry;
        }
        return entry.Context is { ExpiresAt: { } expiresAt } && expiresAt <= clock.GetUtcNow().UtcDateTime ? null : entry.Context;
    }

    private async Task<ApiKeyContext?> FetchAsync(string hash, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"internal/keys/{hash}");
            if (configuration[InternalTokenFilter.ConfigurationKey] is { Length: > 0 } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
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
