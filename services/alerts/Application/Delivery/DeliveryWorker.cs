using Microsoft.Extensions.Options;
using Requesty.Alerts.Infrastructure;

namespace Requesty.Alerts.Application.Delivery;

/// <summary>
/// Polls the outbox and sends due deliveries, up to BatchSize at once; a slow receiver holds one
/// slot, not the whole loop. Nothing is held only in memory, so a restart loses nothing.
/// </summary>
public sealed class DeliveryWorker(
    DeliveryStore deliveries, WebhookSender sender, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<DeliveryWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Webhook delivery is disabled (Alerts:Delivery:Enabled=false)");
            return;
        }
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            var free = settings.BatchSize - inFlight.Count;
            var claimed = 0;
            try
            {
                if (free > 0)
                {
                    var batch = await deliveries.ClaimAsync(free, settings.Lease, clock.GetUtcNow().UtcDateTime, stoppingToken);
                    claimed = batch.Count;
                    inFlight.AddRange(batch.Select(d => SendAsync(d, stoppingToken)));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Claiming webhook deliveries failed");
            }
            if (claimed > 0 && claimed == free) continue;
            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(settings.PollInterval, clock, wake.Token);
                // Wake early when a slot frees up while all were busy.
                await (inFlight.Count >= settings.BatchSize ? Task.WhenAny(Task.WhenAny(inFlight), delay) : delay);
                await wake.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await sender.SendAsync(delivery, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The lease runs out and another round retries it.
            logger.LogError(ex, "Delivery {Id} could not be processed", delivery.Id);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the released or leased delivery is picked up after the restart.
        }
    }
}
