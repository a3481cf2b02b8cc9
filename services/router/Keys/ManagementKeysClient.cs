using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Contracts.Keys;

namespace Requesty.Router.Keys;

/// <summary>Reads key contexts from management's internal API (authorised by the shared internal token).</summary>
public sealed class ManagementKeysClient(HttpClient http)
{
    public async Task<IReadOnlyList<ApiKeyContext>> GetAllAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync("internal/keys", RouterJsonContext.Default.ApiKeyContextArray, cancellationToken) ?? [];

    public async Task<ApiKeyContext?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"internal/keys/{keyHash}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(RouterJsonContext.Default.ApiKeyContext, cancellationToken);
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
