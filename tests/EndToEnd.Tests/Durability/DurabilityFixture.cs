using Requesty.Analytics;
using Requesty.Contracts.Keys;
using Requesty.ProviderSimulator;
using Requesty.Router.Keys;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// Private servers (see <see cref="PrivateServers"/>), the provider simulator, a stub management
/// and the analytics service writing RequestCompleted into the private ClickHouse. Analytics' queues
/// are durable (the broker is ours alone), so they and their messages survive a RabbitMQ restart.
/// </summary>
public sealed class DurabilityFixture : IAsyncLifetime
{
    private const string InternalToken = "durability-internal-token";
    private readonly StubManagement _keys = new(InternalToken);
    private readonly List<IAsyncDisposable> _started = [];

    public PrivateServers Servers { get; private set; } = null!;
    public ServiceHost Simulator { get; private set; } = null!;
    public ServiceHost Management { get; private set; } = null!;
    public ServiceHost Analytics { get; private set; } = null!;
    public PrivateClickHouse ClickHouse { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            Servers = Track(await PrivateServers.StartAsync());
            ClickHouse = new PrivateClickHouse(Servers.ClickHouseUrl);
            Simulator = Track(await ServiceHost.StartAsync(SimulatorApp.Build, QuietLogs));
            Management = Track(await ServiceHost.StartAsync(_keys.Build, QuietLogs));
            Analytics = Track(await ServiceHost.StartAsync(AnalyticsApp.Build,
            [
                $"--RabbitMq:Uri={Servers.RabbitMqUri}",
                $"--RabbitMq:QueuePrefix=durability-{Guid.NewGuid():N}-",
                $"--ClickHouse:Url={Servers.ClickHouseUrl}",
                $"--ClickHouse:Database={PrivateServers.ClickHouseDatabase}",
                $"--ClickHouse:User={PrivateServers.ClickHouseUser}",
                $"--ClickHouse:Password={PrivateServers.ClickHousePassword}",
                $"--Internal:Token={InternalToken}",
                .. QuietLogs,
            ]));
            await Analytics.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)); // queue bound before anything is published
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// In-process services log into the test output: keep warnings of our own code, but not the
    /// per-message and reconnect chatter of MassTransit while the broker is down on purpose.
    /// </summary>
    public static readonly string[] QuietLogs = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:MassTransit=Error"];

    /// <summary>A new API key known to the stub management (so each test counts only its own rows).</summary>
    public (string ApiKey, ApiKeyContext Context) NewKey()
    {
        var apiKey = "rqsty-sk-durability-" + Guid.NewGuid().ToString("N");
        var context = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(apiKey),
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = Guid.NewGuid(),
            Permissions = ["chat"],
            Version = 1,
        };
        _keys.Add(context);
        return (apiKey, context);
    }

    /// <summary>Router configuration against the private broker (or <paramref name="rabbitMqUri"/>), the stub and the simulator.</summary>
    public string[] RouterArgs(string journalDirectory, string? rabbitMqUri = null) =>
    [
        $"--RabbitMq:Uri={rabbitMqUri ?? Servers.RabbitMqUri}",
        $"--Management:Url={Management.BaseAddress}",
        $"--Analytics:Url={Management.BaseAddress}",
        $"--Simulator:Url={Simulator.BaseAddress}",
        $"--Journal:Directory={journalDirectory}",
        $"--Internal:Token={InternalToken}",
    ];

    public async Task DisposeAsync()
    {
        ClickHouse?.Dispose();
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].DisposeAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"durability fixture clean-up: {ex.Message}");
            }
        }
        _started.Clear();
    }

    private T Track<T>(T started) where T : IAsyncDisposable
    {
        _started.Add(started);
        return started;
    }
}
