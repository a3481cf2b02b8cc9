using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.ServiceDefaults.Messaging;

/// <summary>
/// A consumer of RequestCompleted events however they arrive: single messages, or the router's RequestCompletedBatch
/// messages, whose events are handled one by one in order. If an event of a batch throws, the whole message is retried,
/// so <see cref="HandleAsync"/> must be idempotent on the request id (it already has to be: delivery is at-least-once).
/// </summary>
public abstract class EachRequestCompletedConsumer : IConsumer<RequestCompleted>, IConsumer<RequestCompletedBatch>
{
    public Task Consume(ConsumeContext<RequestCompleted> context) => HandleAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<RequestCompletedBatch> context)
    {
        foreach (var message in context.Message.Events) await HandleAsync(message, context.CancellationToken);
    }

    protected abstract Task HandleAsync(RequestCompleted message, CancellationToken cancellationToken);
}
