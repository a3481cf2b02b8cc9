namespace Requesty.Router.Routing;

/// <summary>
/// Loads every policy from management at start-up (retrying until management answers) and re-reads
/// the full set periodically as a safety net; events make changes visible within about a second.
/// </summary>
public sealed class PolicySyncService(PolicyCache cache, ManagementPoliciesClient management, IConfiguration configuration, ILogger<PolicySyncService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resyncEvery = TimeSpan.FromSeconds(configuration.GetValue("Policies:ResyncSeconds", 30));
        var retryDelay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var policies = await management.GetAllAsync(stoppingToken);
                cache.ReplaceAll(policies.ToList());
                logger.LogDebug("Policy snapshot loaded: {Count} policies", policies.Count);
                retryDelay = TimeSpan.FromMilliseconds(250);
                await Task.Delay(resyncEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Policy snapshot from management failed ({Message}); retrying in {Delay}", ex.Message, retryDelay);
                await Task.Delay(retryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                retryDelay = TimeSpan.FromMilliseconds(Math.Min(retryDelay.TotalMilliseconds * 2, 30_000));
            }
        }
    }
}
