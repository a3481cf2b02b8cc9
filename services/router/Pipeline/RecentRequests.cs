using System.Numerics;

namespace Requesty.Router.Pipeline;

/// <summary>
/// Which organisation each recent request belongs to, kept in memory (bounded, oldest dropped
/// first) so feedback sent right after an answer is checked without a round trip; older
/// requests are looked up in analytics.
/// </summary>
/// <remarks>
/// Called for every request, so it allocates nothing after construction and holds no object references: a ring of
/// the last <c>capacity</c> entries in arrival order and an open-addressing index into it, both plain value arrays the
/// garbage collector never has to scan. (A dictionary node per request used to survive into the old generations,
/// die there and dirty cards that every young collection had to walk.) One short lock; the work inside is a few probes.
/// </remarks>
public sealed class RecentRequests
{
    private const int Empty = -1;
    private readonly Entry[] _ring;
    private readonly int[] _index;
    private readonly int _mask;
    private readonly Lock _lock = new();
    private long _remembered;

    public RecentRequests(int capacity = 200_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Entry[capacity];
        // At most half full, so probe runs stay short.
        _index = new int[BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
        Array.Fill(_index, Empty);
        _mask = _index.Length - 1;
    }

    public void Remember(Guid requestId, Guid organizationId)
    {
        lock (_lock)
        {
            if (SlotOf(requestId) != Empty) return;
            var position = (int)(_remembered % _ring.Length);
            if (_remembered >= _ring.Length) RemoveSlot(SlotOf(_ring[position].RequestId));
            _ring[position] = new Entry(requestId, organizationId);
            var slot = HomeOf(requestId);
            while (_index[slot] != Empty) slot = (slot + 1) & _mask;
            _index[slot] = position;
            _remembered++;
        }
    }

    public bool TryGetOrganization(Guid requestId, out Guid organizationId)
    {
        lock (_lock)
        {
            var slot = SlotOf(requestId);
            organizationId = slot == Empty ? Guid.Empty : _ring[_index[slot]].OrganizationId;
            return slot != Empty;
        }
    }

    private int HomeOf(Guid requestId) => requestId.GetHashCode() & _mask;

    /// <summary>The index slot that points at <paramref name="requestId"/>, or <see cref="Empty"/>.</summary>
    private int SlotOf(Guid requestId)
    {
        for (var slot = HomeOf(requestId); _index[slot] != Empty; slot = (slot + 1) & _mask)
            if (_ring[_index[slot]].RequestId == requestId) return slot;
        return Empty;
    }

    /// <summary>
    /// Empties a slot and shifts later entries of the same probe run back into the hole, so every remaining
    /// entry stays reachable from its home slot without tombstones.
    /// </summary>
    private void RemoveSlot(int hole)
    {
        for (var next = (hole + 1) & _mask; _index[next] != Empty; next = (next + 1) & _mask)
        {
            var home = HomeOf(_ring[_index[next]].RequestId);
            var homeIsAfterHole = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (homeIsAfterHole) continue;
            _index[hole] = _index[next];
            hole = next;
        }
        _index[hole] = Empty;
    }

    private readonly record struct Entry(Guid RequestId, Guid OrganizationId);
}
