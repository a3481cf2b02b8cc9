using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.ProviderSimulator;
using Requesty.Router.Keys;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>A router on real HTTP with the provider simulator upstream and one known API key.</summary>
public sealed class RouterHarness : IAsyncDisposable
{
    private RouterHarness(ServiceHost simulator, ServiceHost management, ServiceHost router, string apiKey, ApiKeyContext key, string journalDirectory, string otherOrganizationApiKey,
        TemporaryDirectory? ownJournal)
    {
        _ownJournal = ownJournal;
        OtherOrganizationApiKey = otherOrganizationApiKey;
        Simulator = simulator;
        Management = management;
        Router = router;
        ApiKey = apiKey;
        Key = key;
        JournalDirectory = journalDirectory;
    }

    public ServiceHost Simulator { get; }
    public ServiceHost Management { get; }
    public ServiceHost Router { get; }
    public string ApiKey { get; }
    public ApiKeyContext Key { get; }
    public string JournalDirectory { get; }
    /// <summary>A valid key of a different organisation.</summary>
    public string OtherOrganizationApiKey { get; }
    /// <summary>The journal folder the harness made (none when the caller passed its own), deleted on dispose.</summary>
    private readonly TemporaryDirectory? _ownJournal;

    public static async Task<RouterHarness> StartAsync(string? rabbitMqUri = null, string? journalDirectory = null, string? apiKey = null,
        Func<ApiKeyContext, IReadOnlyList<RoutingPolicy>>? policies = null, IReadOnlyList<string>? extraArgs = null,
        Func<Uri, IReadOnlyList<string>>? argsForSimulator = null)
    {
        apiKey ??= "rqsty-sk-test-" + Guid.NewGuid().ToString("N");
        var key = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(apiKey),
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = Guid.NewGuid(),
            UserId = Guid.NewGuid(),
            Permissions = ["chat"],
            Version = 1,
        };
        var otherApiKey = "rqsty-sk-other-" + Guid.NewGuid().ToString("N");
        var otherKey = key with { KeyHash = KeyHasher.Hash(otherApiKey), ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid() };
        var ownJournal = journalDirectory is null ? new TemporaryDirectory("router-journal-") : null;
        journalDirectory ??= ownJournal!.Path;
        var simulator = await ServiceHost.StartAsync(SimulatorApp.Build);
        var management = await ServiceHost.StartAsync(StubManagement.Build([key, otherKey], TestServers.InternalToken, policies?.Invoke(key)));
        var router = await ServiceHost.StartAsync(RouterApp.Build,
        [
            .. TestServers.ServiceArgs(),
            $"--RabbitMq:Uri={rabbitMqUri ?? TestServers.RabbitMqUri}",
            $"--Management:Url={management.BaseAddress}",
            // The stub knows no analytics routes: every request older than the router's memory is "not found".
            $"--Analytics:Url={management.BaseAddress}",
            $"--Simulator:Url={simulator.BaseAddress}",
            $"--Journal:Directory={journalDirectory}",
            .. extraArgs ?? [],
            // Arguments that need the simulator's address (a provider's BaseUrl pointing at it, say).
            .. argsForSimulator?.Invoke(simulator.BaseAddress) ?? [],
        ]);
        return new RouterHarness(simulator, management, router, apiKey, key, journalDirectory, otherApiKey, ownJournal);
    }

    public HttpClient CreateRouterClient()
    {
        var client = Router.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await Management.DisposeAsync();
        await Simulator.DisposeAsync();
        _ownJournal?.Dispose();
    }
}
