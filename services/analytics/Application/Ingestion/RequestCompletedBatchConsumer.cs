using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// Consumes the router's RequestCompletedBatch messages, several at a time, and writes all their events with one insert
/// per table. If the write throws, the messages are retried together by the endpoint's retry policy and stay
/// unacknowledged until it succeeds; an event seen twice (redelivery, overlapping batches) is stored once by the table's
/// request-id deduplication.
/// </summary>
public sealed class RequestCompletedBatchConsumer(IRequestAnalyticsWriter writer, ILogger<RequestCompletedBatchConsumer> logger)
    : IConsumer<Batch<RequestCompletedBatch>>
{
    public async Task Consume(ConsumeContext<Batch<RequestCompletedBatch>> context)
    {
        var count = 0;
        foreach (var item in context.Message) count += item.Message.Events.Count;
        var events = new List<RequestCompleted>(count);
        foreach (var item in context.Message) events.AddRange(item.Message.Events);
        await writer.WriteAsync(events, context.CancellationToken);
        logger.LogDebug("Stored {Count} RequestCompleted events from {Messages} batches", events.Count, context.Message.Length);
    }
}
