using MassTransit;
using Requesty.Contracts.Events;
using Requesty.McpGateway.Infrastructure;

namespace Requesty.McpGateway.Application;

/// <summary>Records the tool calls models made, once per request id (delivery is at-least-once).</summary>
public sealed class RequestCompletedConsumer(ToolCallStore store, ILogger<RequestCompletedConsumer> logger) : IConsumer<RequestCompleted>
{
    public async Task Consume(ConsumeContext<RequestCompleted> context)
    {
        if (!await store.RecordAsync(context.Message, context.CancellationToken))
        {
            logger.LogDebug("Request {RequestId} already recorded; redelivery ignored", context.Message.RequestId);
        }
    }
}
