using Microsoft.Extensions.Options;
using Npgsql;
using Requesty.Alerts.Application.Budgets;
using Requesty.Alerts.Infrastructure;

namespace Requesty.Alerts.Application;

/// <summary>
/// Runs the evaluations deferred while management was unavailable. Each runs in one transaction with
/// its pending row locked: current spend of the request's rows (level-based, so later spend only
/// confirms a crossing), management's budgets, the usual ledger claim, then the row is deleted. A
/// failure backs off exponentially; the row stays until an evaluation succeeds.
/// </summary>
public sealed class PendingEvaluationWorker(
    NpgsqlDataSource dataSource, PendingEvaluationStore pending, OrgBudgetsProvider budgetsProvider, AlertLedger alerts,
    IOptions<ManagementOptions> options, TimeProvider clock, ILogger<PendingEvaluationWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var processed = 0;
            try
            {
                processed = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Deferred alert evaluations failed");
            }
            if (processed == BatchSize) continue;
            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <returns>How many deferred evaluations were looked at.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await pending.LockDueAsync(connection, transaction, BatchSize, now, cancellationToken);
        var unavailable = new Dictionary<Guid, string>(); // one failed call per organization and round
        foreach (var evaluation in due)
        {
            var request = evaluation.Request;
            var org = request.Caller.OrganizationId;
            OrgBudgets? budgets = null;
            if (!unavailable.ContainsKey(org))
            {
                try
                {
                    budgets = await budgetsProvider.GetAsync(org, cancellationToken);
                }
                catch (ManagementUnavailableException e)
                {
                    unavailable[org] = e.Message;
                }
            }
            if (budgets is null)
            {
                var delay = Backoff(evaluation.Attempts);
                logger.LogWarning("Deferred evaluation of request {Request} postponed by {Delay}: {Error}", request.RequestId, delay, unavailable[org]);
                await pending.PostponeAsync(connection, transaction, request.RequestId, now + delay, unavailable[org], cancellationToken);
                continue;
            }
            var spend = await PendingEvaluationStore.CurrentSpendAsync(connection, transaction, request, cancellationToken);
            await alerts.EvaluateAsync(connection, transaction, request, spend, BudgetsLookup.Of(budgets), now, cancellationToken);
            await pending.CompleteAsync(connection, transaction, request.RequestId, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private TimeSpan Backoff(int attempts)
    {
        var settings = options.Value;
        var delay = settings.RetryDelay * Math.Pow(2, Math.Min(attempts, 20));
        return delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
    }
}
