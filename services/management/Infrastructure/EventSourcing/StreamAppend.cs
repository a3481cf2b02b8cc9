using Requesty.Management.Domain;

namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>
/// Events to add to one stream. <see cref="ExpectedVersion"/> is the version the caller based its
/// decision on: 0 for a stream that must not exist yet, otherwise the stream's current version.
/// </summary>
public sealed record StreamAppend(Guid StreamId, string StreamType, long ExpectedVersion, IReadOnlyList<IDomainEvent> Events)
{
    public StreamAppend(Guid streamId, string streamType, long expectedVersion, IDomainEvent @event)
        : this(streamId, streamType, expectedVersion, [@event]) { }
}
