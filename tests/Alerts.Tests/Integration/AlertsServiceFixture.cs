using System.Net;
using MassTransit;
using Requesty.Alerts;
using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>
/// The alerts service hosted in-process against the real test PostgreSQL and RabbitMQ, with its
/// own temporary queue, plus a MassTransit bus the tests publish RequestCompleted with.
/// </summary>
public sealed class AlertsServiceFixture : IAsyncLifetime
{
    private IBusControl? _bus;

    public ServiceHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prefix = $"test-{Guid.NewGuid():N}-";
        Host = await ServiceHost.StartAsync(AlertsApp.Build, TestServers.ServiceArgs(
            $"--RabbitMq:QueuePrefix={prefix}",
            "--RabbitMq:TemporaryQueues=true",
            // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
            "--RabbitMq:ConcurrencyLimit=1"));
        Client = Host.CreateClient();

        // The queue must be bound before we publish, otherwise the fanout drops the message.
        await Eventually.GetAsync(async () =>
            (await Client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK ? "ready" : null,
            TimeSpan.FromSeconds(60), "alerts service ready (PostgreSQL + bus)");

        _bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri)));
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StartAsync(startTimeout.Token);
    }

    public async Task PublishAsync(RequestCompleted message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus!.Publish(message, timeout.Token);
    }

    public HttpRequestMessage Authorized(HttpMethod method, string uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new("Bearer", TestServers.InternalToken);
        return request;
    }

    public async Task DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
        Client?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AlertsServiceCollection : ICollectionFixture<AlertsServiceFixture>
{
    public const string Name = "alerts service";
}
