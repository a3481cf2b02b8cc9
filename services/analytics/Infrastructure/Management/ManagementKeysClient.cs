using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Contracts.Keys;

namespace Requesty.Analytics.Infrastructure.Management;

/// <summary>Looks a key up by its SHA-256 in management's internal API (GET /internal/keys/{hash}, internal token).</summary>
public sealed class ManagementKeysClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The key's context, or null when management knows no live key with this hash.</summary>
    public async Task<ApiKeyContext?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"internal/keys/{keyHash}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ApiKeyContext>(Json, cancellationToken);
    }

    public static void Configure(HttpClient http, IConfiguration configuration)
    {
        var url = configuration["Management:Url"] ?? "http://127.0.0.1:5081";
        http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        http.Timeout = TimeSpan.FromSeconds(10);
        if (configuration["Internal:Token"] is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }
}
