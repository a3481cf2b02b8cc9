using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Contracts.Management;
using Requesty.Router.Keys;

namespace Requesty.Router.Byok;

/// <summary>Reads every organisation's sealed own keys from management's internal API (authorised by the internal token).</summary>
public sealed class ManagementByokClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A management without the BYOK API (404, an older version) has no own keys: an empty set, not an error.</summary>
    public async Task<IReadOnlyList<ByokKey>> GetAllAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("internal/byok", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ByokKey[]>(Json, cancellationToken) ?? [];
    }

    public static void Configure(HttpClient http, IConfiguration configuration) => ManagementKeysClient.Configure(http, configuration);
}
