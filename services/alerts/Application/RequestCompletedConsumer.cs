using MassTransit;
using Requesty.Alerts.Infrastructure;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Application;

/// <summary>Adds each completed request's cost to the monthly spend rows, once per request id.</summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, ILogger<RequestCompletedConsumer> logger) : IConsumer<RequestCompleted>
{
    public async Task Consume(ConsumeContext<RequestCompleted> context)
    {
        var message = context.Message;
        var recorded = await ledger.RecordAsync(message, context.CancellationToken);
        if (!recorded)
        {
            logger.LogDebug("Request {RequestId} already accounted; redelivery ignored", message.RequestId);
        }
    }
}
