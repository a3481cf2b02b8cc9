using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Contracts.Management;
using Requesty.Router.Keys;

namespace Requesty.Router.Budget;

/// <summary>Reads the current spend blocks from management's internal API (authorised by the shared internal token).</summary>
public sealed class ManagementSpendBlocksClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<SpendBlock>> GetAllAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<SpendBlock[]>("internal/spend-blocks", Json, cancellationToken) ?? [];

    public static void Configure(HttpClient http, IConfiguration configuration) => ManagementKeysClient.Configure(http, configuration);
}
