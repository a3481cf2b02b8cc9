using MassTransit;

namespace Requesty.TestKit;

/// <summary>A MassTransit bus on the RabbitMQ test vhost without endpoints of its own: tests publish and send with it.</summary>
public static class TestBus
{
    public static async Task<IBusControl> StartAsync()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return bus;
    }
}
