using Requesty.Alerts.Infrastructure;
using Requesty.Contracts.Events;
using Requesty.ServiceDefaults.Messaging;

namespace Requesty.Alerts.Application;

/// <summary>Adds each completed request's cost to the monthly spend rows, once per request id.</summary>
public sealed class RequestCompletedConsumer(SpendLedger ledger, ILogger<RequestCompletedConsumer> logger) : EachRequestCompletedConsumer
{
    protected override async Task HandleAsync(RequestCompleted message, CancellationToken cancellationToken)
    {
        if (!await ledger.RecordAsync(message, cancellationToken))
            logger.LogDebug("Request {RequestId} already accounted; redelivery ignored", message.RequestId);
    }
}
