using Requesty.Contracts.Events;
using Requesty.McpGateway.Infrastructure;
using Requesty.ServiceDefaults.Messaging;

namespace Requesty.McpGateway.Application;

/// <summary>Records the tool calls models made, once per request id (delivery is at-least-once).</summary>
public sealed class RequestCompletedConsumer(ToolCallStore store, ILogger<RequestCompletedConsumer> logger) : EachRequestCompletedConsumer
{
    protected override async Task HandleAsync(RequestCompleted message, CancellationToken cancellationToken)
    {
        if (!await store.RecordAsync(message, cancellationToken))
            logger.LogDebug("Request {RequestId} already recorded; redelivery ignored", message.RequestId);
    }
}
