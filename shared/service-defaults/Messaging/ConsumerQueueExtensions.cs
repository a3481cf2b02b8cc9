using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Requesty.ServiceDefaults;

public static class ConsumerQueueExtensions
{
    /// <summary>
    /// The RabbitMQ bus with one consumer on its own queue (<see cref="QueueSettings"/> from
    /// <paramref name="queueBaseName"/>): honours RabbitMq:ConcurrencyLimit and retries a failed
    /// message after each of <paramref name="retryIntervalsMs"/> before it goes to the _error queue.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMqConsumer<TConsumer>(
        this IHostApplicationBuilder builder, string queueBaseName, params int[] retryIntervalsMs)
        where TConsumer : class, IConsumer
    {
        var queue = QueueSettings.From(builder.Configuration, queueBaseName);
        return builder.AddRabbitMqBus(
            bus => bus.AddConsumer<TConsumer>(),
            (context, cfg) => cfg.ReceiveEndpoint(queue, endpoint =>
            {
                if (queue.ConcurrencyLimit is { } limit)
                {
                    endpoint.PrefetchCount = limit;
                    endpoint.ConcurrentMessageLimit = limit;
                }
                endpoint.UseMessageRetry(r => r.Intervals(retryIntervalsMs));
                endpoint.ConfigureConsumer<TConsumer>(context);
            }));
    }
}
