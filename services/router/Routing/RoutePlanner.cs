using System.Globalization;
using Requesty.Contracts.Management;

namespace Requesty.Router.Routing;

/// <summary>
/// Expands "policy/&lt;name&gt;" into the ordered models to try.
/// Fallback: entries in order, nested policies expanded in place.
/// Load balancing: one entry picked by XXH64 of the trace id (else the request id) over the normalised
/// weights, then the other entries by descending weight as fallbacks, so an outage of the picked one
/// does not reach the client.
/// Latency: entries with enough samples fastest first (median of the rolling window), entries without
/// data after them; on a few percent of requests an unmeasured entry goes first so it gets measured.
/// </summary>
public sealed class RoutePlanner(PolicyCache cache, LatencyTracker latency, Func<double> random)
{
    public const string Prefix = "policy/";
    public const int MinLatencySamples = 5;
    public const double ExplorationRate = 0.075;
    private const int MaxDepth = 16;

    public static bool IsPolicy(string model) => model.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>False when the caller has no policy of that name.</summary>
    public bool TryPlan(Guid organizationId, Guid apiKeyId, string policyName, string hashKey, out RoutePlan plan)
    {
        plan = new RoutePlan(policyName, [], []);
        if (!cache.TryGet(organizationId, apiKeyId, policyName, out var policy)) return false;
        var candidates = new List<RouteCandidate>();
        var notes = new List<string>();
        new Expansion(this, organizationId, apiKeyId, hashKey, candidates, notes).Expand(policy, Prefix + policyName, [policyName]);
        plan = new RoutePlan(policyName, candidates, notes);
        return true;
    }

    private sealed record Expansion(RoutePlanner Planner, Guid OrganizationId, Guid ApiKeyId, string HashKey, List<RouteCandidate> Into, List<string> Notes)
    {
        public void Expand(RoutingPolicy policy, string via, HashSet<string> visiting)
        {
            foreach (var entry in Planner.Order(policy, OrganizationId, HashKey, Notes))
            {
                if (!IsPolicy(entry.Model))
                {
                    // "platform_then_byok" / "byok_then_platform" become two candidates: the same model with each key in turn.
                    foreach (var keySource in Byok.KeySources.Expand(entry.KeySource))
                        Into.Add(new RouteCandidate(entry.Model, Math.Clamp(entry.Retries, 0, 10), keySource, via));
                    continue;
                }
                var nestedName = entry.Model[Prefix.Length..];
                // Management refuses cycles; a cache caught mid-update must still not loop.
                if (visiting.Count >= MaxDepth || visiting.Contains(nestedName)) continue;
                if (!Planner.TryGetPolicy(OrganizationId, ApiKeyId, nestedName, out var nested))
                {
                    Notes.Add($"{via}: {entry.Model} not found, skipped");
                    continue;
                }
                visiting.Add(nestedName);
                Expand(nested, $"{via} > {entry.Model}", visiting);
                visiting.Remove(nestedName);
            }
        }
    }

    private bool TryGetPolicy(Guid organizationId, Guid apiKeyId, string name, out RoutingPolicy policy) =>
        cache.TryGet(organizationId, apiKeyId, name, out policy);

    private IEnumerable<RoutingPolicyEntry> Order(RoutingPolicy policy, Guid organizationId, string hashKey, List<string> notes)
    {
        if (policy.Entries.Count < 2) return policy.Entries;
        switch (policy.Type)
        {
            case "loadbalance":
                var picked = Pick(policy.Entries, Xxh64.Hash(hashKey, Xxh64.Hash(policy.Name)));
                notes.Add($"policy/{policy.Name}: load balancing picked {policy.Entries[picked].Model} (weight {policy.Entries[picked].Weight} of {policy.Entries.Sum(e => e.Weight)}) by XXH64 of '{hashKey}'");
                return policy.Entries.Where((_, i) => i != picked).OrderByDescending(e => e.Weight).Prepend(policy.Entries[picked]);
            case "latency":
                return ByLatency(policy, organizationId, notes);
            default:
                return policy.Entries;
        }
    }

    private List<RoutingPolicyEntry> ByLatency(RoutingPolicy policy, Guid organizationId, List<string> notes)
    {
        var stats = policy.Entries.Select(e => (Entry: e, Stats: latency.Stats(organizationId, e.Model, EffectiveKeySource(e.KeySource)))).ToList();
        var measured = stats.Where(s => s.Stats.Samples >= MinLatencySamples).OrderBy(s => s.Stats.MedianMs).Select(s => s.Entry).ToList();
        var unmeasured = stats.Where(s => s.Stats.Samples < MinLatencySamples).Select(s => s.Entry).ToList();
        notes.Add($"policy/{policy.Name}: latency order " + string.Join(", ", stats.OrderBy(s => s.Stats.Samples >= MinLatencySamples ? s.Stats.MedianMs : double.MaxValue)
            .Select(s => s.Stats.Samples >= MinLatencySamples
                ? $"{s.Entry.Model} {s.Stats.MedianMs!.Value.ToString("0", CultureInfo.InvariantCulture)} ms median of {s.Stats.Samples}"
                : $"{s.Entry.Model} no data ({s.Stats.Samples} samples)")));
        if (measured.Count > 0 && unmeasured.Count > 0 && random() < ExplorationRate)
        {
            var explore = unmeasured[Math.Min((int)(random() * unmeasured.Count), unmeasured.Count - 1)];
            notes.Add($"policy/{policy.Name}: exploring {explore.Model}");
            return [explore, .. measured, .. unmeasured.Where(e => !ReferenceEquals(e, explore))];
        }
        return [.. measured, .. unmeasured];
    }

    /// <summary>The key source an entry's first attempt uses (latency is measured per model and key source).</summary>
    public static string EffectiveKeySource(string keySource) => Byok.KeySources.Expand(keySource)[0];

    /// <summary>
    /// The entry whose share of the normalised weights contains the hash's position in [0, 1).
    /// Each policy seeds the hash with its own name, so nested load balancers decide independently.
    /// </summary>
    public static int Pick(IReadOnlyList<RoutingPolicyEntry> entries, ulong hash)
    {
        var total = entries.Sum(e => (double)Math.Max(e.Weight, 0m));
        if (total <= 0) return 0;
        // The top 53 bits as a fraction: exact in a double, uniform in [0, 1).
        var position = (hash >> 11) * (1.0 / (1UL << 53)) * total;
        var cumulative = 0.0;
        for (var i = 0; i < entries.Count; i++)
        {
            cumulative += (double)Math.Max(entries[i].Weight, 0m);
            if (position < cumulative) return i;
        }
        return entries.Count - 1;
    }
}
