using System.Collections.Concurrent;

namespace Requesty.Router.Pipeline;

/// <summary>
/// Which organisation each recent request belongs to, kept in memory (bounded, oldest dropped
/// first) so feedback sent right after an answer is checked without a round trip; older
/// requests are looked up in analytics.
/// </summary>
public sealed class RecentRequests(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<Guid, Guid> _organizationByRequest = new();
    private readonly ConcurrentQueue<Guid> _order = new();

    public void Remember(Guid requestId, Guid organizationId)
    {
        if (!_organizationByRequest.TryAdd(requestId, organizationId)) return;
        _order.Enqueue(requestId);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest)) _organizationByRequest.TryRemove(oldest, out _);
    }

    public bool TryGetOrganization(Guid requestId, out Guid organizationId) =>
        _organizationByRequest.TryGetValue(requestId, out organizationId);
}
