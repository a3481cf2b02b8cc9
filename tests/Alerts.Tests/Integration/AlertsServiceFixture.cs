using Requesty.Alerts.Tests.Integration.Support;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>
/// The alerts service hosted in-process against the real test PostgreSQL and RabbitMQ, with its
/// own temporary queue, plus a bus the tests publish RequestCompleted with and a real webhook
/// receiver on 127.0.0.1.
/// </summary>
public sealed class AlertsServiceFixture() : ConsumerServiceFixture(AlertsApp.Build, AlertsTestSettings.ServiceArgs(
    // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
    "--RabbitMq:ConcurrencyLimit=1"))
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    public AlertsApi Api { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
        Api = new AlertsApi(Client);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Receiver is not null) await Receiver.DisposeAsync();
    }
}

public static class AlertsTestSettings
{
    /// <summary>A fixed test key for webhook signing secrets (base64 of 32 bytes).</summary>
    public static readonly string SecretKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The receiver lives on 127.0.0.1, so private addresses are allowed; delays and timeouts are shortened.</summary>
    public static string[] ServiceArgs(params string[] extra) =>
    [
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
