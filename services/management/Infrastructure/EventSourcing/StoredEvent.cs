using Requesty.Management.Domain;

namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>One row of the log: <see cref="Sequence"/> is global and gap-free, <see cref="Version"/> is per stream (1-based).</summary>
public sealed record StoredEvent(
    long Sequence,
    Guid StreamId,
    string StreamType,
    long Version,
    string EventType,
    IDomainEvent Data,
    EventMetadata Metadata,
    DateTime OccurredAt);
