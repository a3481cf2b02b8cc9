using MassTransit;
using Requesty.Alerts.Infrastructure;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Application;

/// <summary>
/// Adds each completed request's cost to the monthly spend rows, once per request id; the router's RequestCompletedBatch
/// messages event by event (if one throws, the message is retried and the events already accounted are skipped).
/// </summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<RequestCompleted>, IConsumer<RequestCompletedBatch>
{
    public Task Consume(ConsumeContext<RequestCompleted> context) => RecordAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<RequestCompletedBatch> context)
    {
        foreach (var message in context.Message.Events) await RecordAsync(message, context.CancellationToken);
    }

    private async Task RecordAsync(RequestCompleted message, CancellationToken cancellationToken)
    {
        if (!await ledger.RecordAsync(message, cancellationToken))
            logger.LogDebug("Request {RequestId} already accounted; redelivery ignored", message.RequestId);
    }
}
