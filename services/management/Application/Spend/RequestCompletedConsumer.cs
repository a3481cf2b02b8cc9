using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Management.Application.Startup;

namespace Requesty.Management.Application.Spend;

/// <summary>Queue "{prefix}management-request-completed": records each finished request's cost once.</summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, StartupGate startupGate, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<RequestCompleted>
{
    public const string QueueName = "management-request-completed";

    public async Task Consume(ConsumeContext<RequestCompleted> context)
    {
        await startupGate.WaitAsync(context.CancellationToken);
        var counted = await ledger.RecordAsync(context.Message, context.CancellationToken);
        if (!counted)
            logger.LogDebug("RequestCompleted {RequestId} was already counted (redelivery)", context.Message.RequestId);
    }
}
