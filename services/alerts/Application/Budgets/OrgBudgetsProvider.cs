using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Requesty.Alerts.Infrastructure.Management;

namespace Requesty.Alerts.Application.Budgets;

/// <summary>
/// Management's budgets per organization, reused for <see cref="ManagementOptions.BudgetsCacheTtl"/>
/// (management's change events are not consumed: a short cache bounds how stale a budget can be).
/// An unknown organization (404) is cached like any answer; a failure is not cached.
/// </summary>
public sealed class OrgBudgetsProvider(ManagementBudgetsClient client, IOptions<ManagementOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<Guid, OrgBudgets> _cache = new();

    /// <exception cref="ManagementUnavailableException">Management could not answer.</exception>
    public async Task<OrgBudgets> GetAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var ttl = options.Value.BudgetsCacheTtl;
        var now = clock.GetUtcNow().UtcDateTime;
        if (ttl > TimeSpan.Zero && _cache.TryGetValue(organizationId, out var cached) && now - cached.FetchedAt < ttl) return cached;

        var fresh = await client.GetAsync(organizationId, now, cancellationToken) ?? OrgBudgets.Unknown(organizationId, now);
        if (ttl > TimeSpan.Zero)
        {
            if (_cache.Count > PruneAbove)
            {
                foreach (var (org, entry) in _cache)
                    if (now - entry.FetchedAt >= ttl) _cache.TryRemove(org, out _);
            }
            _cache[organizationId] = fresh;
        }
        return fresh;
    }
}
