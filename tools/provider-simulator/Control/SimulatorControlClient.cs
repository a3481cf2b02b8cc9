using System.Net.Http.Json;
using System.Text.Json;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Recording;

namespace Requesty.ProviderSimulator.Control;

/// <summary>
/// Typed access to the simulator's control routes for other test suites (router, end-to-end, benchmarks):
/// set / reset behaviour rules and read the request log over HTTP.
/// </summary>
public sealed class SimulatorControlClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(SimBehaviour.Json) { DictionaryKeyPolicy = null };

    public async Task SetBehaviourAsync(SimBehaviour behaviour, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync("/__sim/behaviour", behaviour, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetBehaviourAsync(CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync("/__sim/behaviour", cancellationToken)).EnsureSuccessStatusCode();

    public async Task<IReadOnlyList<RecordedRequest>> GetRequestsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<RecordedRequest>>($"/__sim/requests?limit={limit}", Json, cancellationToken) ?? [];

    public async Task ClearRequestsAsync(CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync("/__sim/requests", cancellationToken)).EnsureSuccessStatusCode();
}
