using Microsoft.AspNetCore.Builder;

namespace Requesty.TestKit;

/// <summary>
/// Hosts a service against the test servers with queues of its own (unique RabbitMq:QueuePrefix,
/// RabbitMq:TemporaryQueues), so parallel test runs on the shared vhost never steal each other's
/// messages, and returns once the service is ready.
/// </summary>
public static class ServiceWithOwnQueues
{
    public static string NewQueuePrefix() => $"test-{Guid.NewGuid():N}-";

    public static async Task<ServiceHost> StartAsync(Func<string[], WebApplication> build, string queuePrefix, params string[] extraArgs)
    {
        var host = await ServiceHost.StartAsync(build, TestServers.ServiceArgs(
            [$"--RabbitMq:QueuePrefix={queuePrefix}", "--RabbitMq:TemporaryQueues=true", .. extraArgs]));
        try
        {
            await host.WaitUntilReadyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }
}
