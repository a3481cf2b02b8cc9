using System.Collections.Concurrent;
using Requesty.Contracts.Management;

namespace Requesty.Router.Routing;

/// <summary>
/// Routing policies by organisation and name. Filled by a snapshot from management, kept fresh by
/// policy events; a newer version always wins and a deletion is remembered with its version, so a
/// late, older upsert cannot resurrect it (a later re-creation has a higher version and does).
/// </summary>
public sealed class PolicyCache
{
    private readonly ConcurrentDictionary<(Guid Organization, string Name), RoutingPolicy> _policies = new();
    private readonly ConcurrentDictionary<(Guid Organization, string Name), long> _deletedAt = new();

    public bool IsLoaded { get; private set; }

    public int Count => _policies.Count;

    /// <summary>The policy <paramref name="name"/> as the given API key may use it.</summary>
    public bool TryGet(Guid organizationId, Guid apiKeyId, string name, out RoutingPolicy policy) =>
        _policies.TryGetValue((organizationId, name), out policy!) && (policy.ApiKeyId is null || policy.ApiKeyId == apiKeyId);

    public void Upsert(RoutingPolicy policy)
    {
        var id = (policy.OrganizationId, policy.Name);
        if (_deletedAt.TryGetValue(id, out var deletedVersion) && deletedVersion >= policy.Version) return;
        _policies.AddOrUpdate(id, policy, (_, existing) => policy.Version >= existing.Version ? policy : existing);
    }

    public void Delete(Guid organizationId, string name, long version)
    {
        var id = (organizationId, name);
        _deletedAt.AddOrUpdate(id, version, (_, existing) => Math.Max(existing, version));
        if (_policies.TryGetValue(id, out var existing) && existing.Version < version)
            _policies.TryRemove(new KeyValuePair<(Guid, string), RoutingPolicy>(id, existing));
    }

    /// <summary>Replaces the whole content with management's current view (drops policies deleted meanwhile).</summary>
    public void ReplaceAll(IReadOnlyCollection<RoutingPolicy> policies)
    {
        var fresh = policies.Select(p => (p.OrganizationId, p.Name)).ToHashSet();
        foreach (var policy in policies) Upsert(policy);
        foreach (var id in _policies.Keys)
        {
            if (!fresh.Contains(id)) _policies.TryRemove(id, out _);
        }
        IsLoaded = true;
    }
}
