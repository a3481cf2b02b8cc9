using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Contracts.Management;
using Requesty.Router.Keys;

namespace Requesty.Router.Routing;

/// <summary>Reads every routing policy from management's internal API (authorised by the shared internal token).</summary>
public sealed class ManagementPoliciesClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<RoutingPolicy>> GetAllAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<RoutingPolicy[]>("internal/policies", Json, cancellationToken) ?? [];

    public static void Configure(HttpClient http, IConfiguration configuration) => ManagementKeysClient.Configure(http, configuration);
}
