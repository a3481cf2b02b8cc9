using Microsoft.Extensions.Options;
using Requesty.Management.Application.Startup;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Re-evaluates, every <see cref="SpendOptions.ReconcileInterval"/>, the scopes whose block may have
/// gone stale without a request: limits raised, removed or lowered, credits added, billing mode or
/// month changed, or a block missed because the process stopped between recording and evaluating.
/// </summary>
public sealed class SpendLimitReconciler(
    SpendLimitReadModel limits, SpendLimitEvaluator evaluator, StartupGate startupGate, TimeProvider time,
    IOptions<SpendOptions> options, ILogger<SpendLimitReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startupGate.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Spend limit reconciliation failed; retrying next round");
                }
                await Task.Delay(options.Value.ReconcileInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var candidates = await limits.CandidatesAsync(SpendScope.MonthStart(time.GetUtcNow().UtcDateTime), cancellationToken);
        return candidates.Count == 0 ? 0 : await evaluator.EvaluateAsync(candidates, cancellationToken);
    }
}
