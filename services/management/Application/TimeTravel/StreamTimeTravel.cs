using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>
/// State of any aggregate at a past instant: read its stream up to the instant and fold it with the
/// aggregate's own fold (e.g. <c>ApiKey.FromHistory</c>). A new aggregate adopts it with one call:
/// <c>travel.StateAtAsync(id, asOf, events =&gt; User.FromHistory(events.Select(e =&gt; e.Data)), ct)</c>
/// and answers 404 when the result is null (the stream did not exist yet) or deleted at that instant.
/// </summary>
public sealed class StreamTimeTravel(EventStore eventStore)
{
    /// <summary>The stream's events that had occurred at <paramref name="asOf"/> (an instant in the future gives all of them).</summary>
    public Task<IReadOnlyList<StoredEvent>> HistoryAtAsync(Guid streamId, DateTime asOf, CancellationToken cancellationToken) =>
        eventStore.ReadStreamUntilAsync(streamId, asOf, cancellationToken);

    /// <summary>Folds the stream as it was at <paramref name="asOf"/>; null when it had no events yet.</summary>
    public async Task<T?> StateAtAsync<T>(
        Guid streamId, DateTime asOf, Func<IReadOnlyList<StoredEvent>, T?> fold, CancellationToken cancellationToken) where T : class
    {
        var history = await HistoryAtAsync(streamId, asOf, cancellationToken);
        return history.Count == 0 ? null : fold(history);
    }
}
