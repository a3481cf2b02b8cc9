using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// Consumes single RequestCompleted messages (older routers, tools), gathered by MassTransit into batches. If the write
/// throws, the whole batch is retried by the endpoint's retry policy; messages are acknowledged only when this method returns.
/// </summary>
public sealed class RequestCompletedConsumer(IRequestAnalyticsWriter writer, ILogger<RequestCompletedConsumer> logger)
    : IConsumer<Batch<RequestCompleted>>
{
    public async Task Consume(ConsumeContext<Batch<RequestCompleted>> context)
    {
        var events = new List<RequestCompleted>(context.Message.Length);
        foreach (var item in context.Message) events.Add(item.Message);
        await writer.WriteAsync(events, context.CancellationToken);
        logger.LogDebug("Stored {Count} RequestCompleted events", events.Count);
    }
}
