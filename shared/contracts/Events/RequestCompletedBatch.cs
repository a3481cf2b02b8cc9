namespace Requesty.Contracts.Events;

/// <summary>
/// How the router puts its <see cref="RequestCompleted"/> events on the bus: the events its journal publisher had
/// ready at once (one or more, in the order the requests finished), in one message. One message per event costs the
/// broker and every consumer a full delivery each (envelope, routing, acknowledgement), which caps ingest at a few
/// thousand events a second on small machines; a batch pays that once. Each item keeps the at-least-once contract of
/// <see cref="RequestCompleted"/>: consumers stay idempotent on <see cref="RequestCompleted.RequestId"/>, also across
/// batches (a redelivered batch may overlap one already handled). Consumers also accept single
/// <see cref="RequestCompleted"/> messages (older routers, tools).
/// </summary>
public sealed record RequestCompletedBatch
{
    /// <summary>The events, oldest first; never empty.</summary>
    public required IReadOnlyList<RequestCompleted> Events { get; init; }
}
