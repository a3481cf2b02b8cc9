using System.Collections.Concurrent;
using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.TestKit;

/// <summary>
/// Listens on the real RabbitMQ test vhost for messages of type <typeparamref name="T"/> through
/// its own temporary queue (auto-delete, not durable), and keeps every message it sees. A probe of
/// <see cref="RequestCompleted"/> also takes the events out of <see cref="RequestCompletedBatch"/> messages
/// (how the router publishes them), so it sees every event whichever way it was sent.
/// </summary>
public sealed class EventProbe<T> : IAsyncDisposable where T : class
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<T> _received = new();

    private EventProbe(IBusControl bus) => _bus = bus;

    public IReadOnlyCollection<T> Received => _received;

    public static async Task<EventProbe<T>> StartAsync(string? rabbitMqUri = null)
    {
        EventProbe<T>? probe = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitMqUri ?? TestServers.RabbitMqUri));
            cfg.ReceiveEndpoint($"test-probe-{typeof(T).Name.ToLowerInvariant()}-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<T>(context =>
                {
                    probe!._received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                if (typeof(T) == typeof(RequestCompleted))
                {
                    endpoint.Handler<RequestCompletedBatch>(context =>
                    {
                        foreach (var item in context.Message.Events) probe!._received.Enqueue((T)(object)item);
                        return Task.CompletedTask;
                    });
                }
            });
        });
        probe = new EventProbe<T>(bus);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return probe;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> arrived.</summary>
    public Task<T> WaitForAsync(Func<T, bool> match, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => Task.FromResult(_received.FirstOrDefault(match)), timeout, $"a {typeof(T).Name} matching the condition");

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
