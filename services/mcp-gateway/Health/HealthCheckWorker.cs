using Requesty.McpGateway.Servers;

namespace Requesty.McpGateway.Health;

/// <summary>Re-checks every registered server each Mcp:HealthCheckIntervalSeconds (default 300; 0 turns it off).</summary>
public sealed class HealthCheckWorker(
    IConfiguration configuration, McpServerStore servers, ServerHealthChecker checker, ILogger<HealthCheckWorker> logger) : BackgroundService
{
    public const string IntervalKey = "Mcp:HealthCheckIntervalSeconds";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue(IntervalKey, 300);
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var server in await servers.ListAllAsync(stoppingToken))
                {
                    await checker.CheckAsync(server, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "MCP server health round failed");
            }
        }
    }
}
