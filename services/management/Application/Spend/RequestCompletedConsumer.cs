using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Management.Application.Startup;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Queue "{prefix}management-request-completed": records each finished request's cost once, then
/// checks the limits of every scope it counted towards. A redelivery checks again (the first delivery
/// may have stopped between recording and checking); a new zero-cost request cannot reach a limit.
/// </summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, SpendLimitEvaluator limits, StartupGate startupGate, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<RequestCompleted>
{
    public const string QueueName = "management-request-completed";

    public async Task Consume(ConsumeContext<RequestCompleted> context)
    {
        await startupGate.WaitAsync(context.CancellationToken);
        var message = context.Message;
        var counted = await ledger.RecordAsync(message, context.CancellationToken);
        if (!counted)
            logger.LogDebug("RequestCompleted {RequestId} was already counted (redelivery)", message.RequestId);
        if (counted && message.CostUsd == 0m) return;
        await limits.EvaluateAsync(message.Caller.OrganizationId, SpendScope.Of(message.Caller), context.CancellationToken);
    }
}
