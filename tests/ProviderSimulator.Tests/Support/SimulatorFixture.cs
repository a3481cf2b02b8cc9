using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator;
using Requesty.TestKit;

namespace Requesty.ProviderSimulator.Tests.Support;

/// <summary>One simulator per test class (rules are per simulator, and tests in a class run one at a time).</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private ServiceHost? _host;

    public ServiceHost Host => _host ?? throw new InvalidOperationException("Simulator not started.");

    public Uri BaseAddress => Host.BaseAddress;

    public HttpClient CreateClient() => Host.CreateClient();

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(SimulatorApp.Build);

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    public async Task SetBehaviourAsync(object behaviour)
    {
        using var client = CreateClient();
        var response = await client.PutAsJsonAsync("__sim/behaviour", behaviour);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetAsync()
    {
        using var client = CreateClient();
        (await client.DeleteAsync("__sim/behaviour")).EnsureSuccessStatusCode();
        (await client.DeleteAsync("__sim/requests")).EnsureSuccessStatusCode();
    }

    public async Task<JsonArray> RecordedRequestsAsync(int limit = 100)
    {
        using var client = CreateClient();
        return (JsonArray)(await client.GetFromJsonAsync<JsonNode>($"__sim/requests?limit={limit}"))!;
    }
}
