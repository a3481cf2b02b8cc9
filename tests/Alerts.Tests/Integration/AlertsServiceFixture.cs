using Requesty.Alerts.Tests.Integration.Support;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>
/// The alerts service hosted in-process against the real test PostgreSQL and RabbitMQ, with its
/// own temporary queue, plus a bus the tests publish RequestCompleted with and a real webhook
/// receiver on 127.0.0.1.
/// </summary>
public sealed class AlertsServiceFixture : ConsumerServiceFixture
{
    // The stub's address is known only once it runs: the last argument is filled in before the service starts.
    private readonly string[] _args;

    public AlertsServiceFixture() : this(AlertsTestSettings.ServiceArgs(
        // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
        "--RabbitMq:ConcurrencyLimit=1", "--Management:Url=set-in-InitializeAsync"))
    {
    }

    private AlertsServiceFixture(string[] args) : base(AlertsApp.Build, args) => _args = args;

    public WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>Management as alerts sees it: budgets per organization and gateway keys.</summary>
    public StubManagement Management { get; private set; } = null!;

    public AlertsApi Api { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Management = await StubManagement.StartAsync();
        _args[^1] = AlertsTestSettings.ManagementUrl(Management);
        await base.InitializeAsync();
        Api = new AlertsApi(Client);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Receiver is not null) await Receiver.DisposeAsync();
        if (Management is not null) await Management.DisposeAsync();
    }
}

public static class AlertsTestSettings
{
    /// <summary>A fixed test key for webhook signing secrets (base64 of 32 bytes).</summary>
    public static readonly string SecretKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static string ManagementUrl(StubManagement management) => $"--Management:Url={management.BaseAddress}";

    /// <summary>
    /// The receiver lives on 127.0.0.1, so private addresses are allowed; delays and timeouts are
    /// shortened; management's budgets are read on every evaluation (no cache) so tests can change them.
    /// </summary>
    public static string[] ServiceArgs(params string[] extra) =>
    [
        "--Alerts:Management:BudgetsCacheTtl=00:00:00",
        "--Alerts:Management:RequestTimeout=00:00:05",
        "--Alerts:Management:RetryDelay=00:00:00.100",
        "--Alerts:Management:MaxRetryDelay=00:00:00.500",
        "--Alerts:Management:PollInterval=00:00:00.100",
        "--Alerts:Webhooks:AllowPrivateAddresses=true",
        $"--Alerts:Webhooks:SecretKey={SecretKey}",
        "--Alerts:Delivery:AttemptTimeout=00:00:01",
        "--Alerts:Delivery:BaseDelay=00:00:00.050",
        "--Alerts:Delivery:PollInterval=00:00:00.100",
        .. extra,
    ];
}

[CollectionDefinition(Name)]
public sealed class AlertsServiceCollection : ICollectionFixture<AlertsServiceFixture>
{
    public const string Name = "alerts service";
}
