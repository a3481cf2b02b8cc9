using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>
/// The alerts service hosted in-process against the real test PostgreSQL and RabbitMQ, with its
/// own temporary queue, plus a bus the tests publish RequestCompleted with.
/// </summary>
public sealed class AlertsServiceFixture() : ConsumerServiceFixture(AlertsApp.Build,
    // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
    "--RabbitMq:ConcurrencyLimit=1");

[CollectionDefinition(Name)]
public sealed class AlertsServiceCollection : ICollectionFixture<AlertsServiceFixture>
{
    public const string Name = "alerts service";
}
