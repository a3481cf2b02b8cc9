namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>The stream moved on since the caller read it (optimistic concurrency); answered as 409.</summary>
public sealed class ConcurrencyException(Guid streamId, long expectedVersion, long actualVersion)
    : Exception($"Stream {streamId} is at version {actualVersion}, expected {expectedVersion}.")
{
    public Guid StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long ActualVersion { get; } = actualVersion;
}
