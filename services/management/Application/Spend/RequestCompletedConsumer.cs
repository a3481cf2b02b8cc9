using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Management.Application.Startup;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Queue "{prefix}management-request-completed": records each finished request's cost once, then
/// checks the limits of every scope it counted towards. A redelivery checks again (the first delivery
/// may have stopped between recording and checking); a new zero-cost request cannot reach a limit.
/// The router's RequestCompletedBatch messages are recorded event by event and their scopes checked once
/// per batch; if an event throws, the whole message is retried and the events already recorded are skipped.
/// </summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, SpendLimitEvaluator limits, StartupGate startupGate, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<RequestCompleted>, IConsumer<RequestCompletedBatch>
{
    public const string QueueName = "management-request-completed";

    public async Task Consume(ConsumeContext<RequestCompleted> context)
    {
        await startupGate.WaitAsync(context.CancellationToken);
        if (await RecordAsync(context.Message, context.CancellationToken))
            await limits.EvaluateAsync(context.Message.Caller.OrganizationId, SpendScope.Of(context.Message.Caller), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<RequestCompletedBatch> context)
    {
        await startupGate.WaitAsync(context.CancellationToken);
        var toCheck = new HashSet<(Guid OrganizationId, SpendScope Scope)>();
        foreach (var message in context.Message.Events)
        {
            if (!await RecordAsync(message, context.CancellationToken)) continue;
            foreach (var scope in SpendScope.Of(message.Caller)) toCheck.Add((message.Caller.OrganizationId, scope));
        }
        if (toCheck.Count > 0) await limits.EvaluateAsync([.. toCheck], context.CancellationToken);
    }

    /// <summary>Counts the request once; true when its scopes need a limit check.</summary>
    private async Task<bool> RecordAsync(RequestCompleted message, CancellationToken cancellationToken)
    {
        var counted = await ledger.RecordAsync(message, cancellationToken);
        if (!counted)
            logger.LogDebug("RequestCompleted {RequestId} was already counted (redelivery)", message.RequestId);
        return !(counted && message.CostUsd == 0m);
    }
}
