using MassTransit;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Requesty.TestKit;

/// <summary>
/// A service that consumes RabbitMQ events, hosted in-process with its own temporary queues
/// (<see cref="ServiceWithOwnQueues"/>), plus a <see cref="TestBus"/> the tests publish with.
/// </summary>
public abstract class ConsumerServiceFixture(Func<string[], WebApplication> build, params string[] extraArgs) : IAsyncLifetime
{
    private IBusControl? _bus;

    public string QueuePrefix { get; } = ServiceWithOwnQueues.NewQueuePrefix();

    public ServiceHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IBus Bus => _bus ?? throw new InvalidOperationException("The fixture is not initialized.");

    public virtual async Task InitializeAsync()
    {
        Host = await ServiceWithOwnQueues.StartAsync(build, QueuePrefix, extraArgs);
        Client = Host.CreateClient();
        _bus = await TestBus.StartAsync();
    }

    public async Task PublishAsync<T>(params T[] messages) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAll(messages.Select(message => Bus.Publish(message, timeout.Token)));
    }

    /// <summary>A request carrying the internal service token.</summary>
    public HttpRequestMessage Authorized(HttpMethod method, string uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new("Bearer", TestServers.InternalToken);
        return request;
    }

    public virtual async Task DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
        Client?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }
}
