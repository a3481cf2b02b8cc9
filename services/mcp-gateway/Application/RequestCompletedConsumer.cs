using MassTransit;
using Requesty.Contracts.Events;
using Requesty.McpGateway.Infrastructure;

namespace Requesty.McpGateway.Application;

/// <summary>
/// Records the tool calls models made, once per request id (delivery is at-least-once); the router's
/// RequestCompletedBatch messages event by event (if one throws, the message is retried and recorded events are skipped).
/// </summary>
public sealed class RequestCompletedConsumer(ToolCallStore store, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<RequestCompleted>, IConsumer<RequestCompletedBatch>
{
    public Task Consume(ConsumeContext<RequestCompleted> context) => RecordAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<RequestCompletedBatch> context)
    {
        foreach (var message in context.Message.Events) await RecordAsync(message, context.CancellationToken);
    }

    private async Task RecordAsync(RequestCompleted message, CancellationToken cancellationToken)
    {
        if (!await store.RecordAsync(message, cancellationToken))
            logger.LogDebug("Request {RequestId} already recorded; redelivery ignored", message.RequestId);
    }
}
