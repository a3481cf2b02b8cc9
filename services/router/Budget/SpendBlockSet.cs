using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;

namespace Requesty.Router.Budget;

/// <summary>
/// Which scopes (API key, user, project, group, organisation) are over their spend limit, for which UTC
/// month. Filled by a snapshot from management and kept fresh by SpendLimitReached/Cleared; a newer
/// version per scope always wins and a clear is remembered with its version, so a late, older block
/// cannot come back. A block of another month than the current one does not apply (month rollover).
/// Reads are lock-free (copy-on-write): the request path does a handful of dictionary lookups, and none
/// at all while nothing is blocked.
/// </summary>
public sealed class SpendBlockSet(TimeProvider time)
{
    private readonly Lock _writeLock = new();
    private volatile State _state = new(new Dictionary<(string, Guid), Entry>(), AnyBlocked: false);
    private long _changes;

    public bool IsLoaded { get; private set; }

    /// <summary>The first scope of the caller that is blocked this month (as a SpendScopes value), or null.</summary>
    public string? BlockedScope(ApiKeyContext caller)
    {
        var state = _state;
        if (!state.AnyBlocked) return null;
        var month = MonthStart(time.GetUtcNow().UtcDateTime);
        if (state.IsBlocked(SpendScopes.ApiKey, caller.ApiKeyId, month)) return SpendScopes.ApiKey;
        if (caller.UserId is { } user && state.IsBlocked(SpendScopes.User, user, month)) return SpendScopes.User;
        if (caller.ProjectId is { } project && state.IsBlocked(SpendScopes.Project, project, month)) return SpendScopes.Project;
        foreach (var group in caller.GroupIds)
            if (state.IsBlocked(SpendScopes.Group, group, month)) return SpendScopes.Group;
        return state.IsBlocked(SpendScopes.Organization, caller.OrganizationId, month) ? SpendScopes.Organization : null;
    }

    public void Apply(SpendLimitReached reached) => Set(reached.Scope, reached.ScopeId, reached.Month, reached.Version);

    public void Apply(SpendLimitCleared cleared) => Set(cleared.Scope, cleared.ScopeId, month: null, cleared.Version);

    /// <summary>A mark to take before requesting a snapshot: events applied after it survive <see cref="ReplaceAll"/>.</summary>
    public long Mark() => Interlocked.Read(ref _changes);

    /// <summary>Replaces the content with management's view, keeping what events changed since <paramref name="mark"/> if newer.</summary>
    public void ReplaceAll(IReadOnlyCollection<SpendBlock> blocks, long mark)
    {
        lock (_writeLock)
        {
            var entries = blocks.ToDictionary(b => (b.Scope, b.ScopeId), b => new Entry(b.Month, b.Version, Change: 0));
            foreach (var (id, entry) in _state.Entries)
            {
                if (entry.Change <= mark) continue;
                if (!entries.TryGetValue(id, out var fromSnapshot) || fromSnapshot.Version < entry.Version) entries[id] = entry;
            }
            Publish(entries);
            IsLoaded = true;
        }
    }

    private void Set(string scope, Guid scopeId, DateTime? month, long version)
    {
        lock (_writeLock)
        {
            var id = (scope, scopeId);
            if (_state.Entries.TryGetValue(id, out var existing) && existing.Version >= version) return;
            var entries = new Dictionary<(string, Guid), Entry>(_state.Entries)
            {
                [id] = new Entry(month is { } m ? MonthStart(m) : null, version, Interlocked.Increment(ref _changes)),
            };
            Publish(entries);
        }
    }

    private void Publish(Dictionary<(string, Guid), Entry> entries) =>
        _state = new State(entries, entries.Values.Any(e => e.Month is not null));

    public static DateTime MonthStart(DateTime instant)
    {
        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        return new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>Month is null once cleared (kept as a tombstone with its version).</summary>
    private sealed record Entry(DateTime? Month, long Version, long Change);

    private sealed record State(Dictionary<(string, Guid), Entry> Entries, bool AnyBlocked)
    {
        public bool IsBlocked(string scope, Guid id, DateTime month) =>
            Entries.TryGetValue((scope, id), out var entry) && entry.Month == month;
    }
}
