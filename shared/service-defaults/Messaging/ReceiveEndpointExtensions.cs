using MassTransit;

namespace Requesty.ServiceDefaults;

public static class ReceiveEndpointExtensions
{
    /// <summary>A receive endpoint named and made durable or temporary as <paramref name="queue"/> says.</summary>
    public static void ReceiveEndpoint(
        this IRabbitMqBusFactoryConfigurator cfg, QueueSettings queue, Action<IRabbitMqReceiveEndpointConfigurator> configure) =>
        cfg.ReceiveEndpoint(queue.Name, endpoint =>
        {
            endpoint.Durable = queue.Durable;
            endpoint.AutoDelete = queue.AutoDelete;
            configure(endpoint);
        });
}
