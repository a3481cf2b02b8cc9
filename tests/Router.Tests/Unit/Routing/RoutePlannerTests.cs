using Requesty.Contracts.Management;
using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Routing;

public sealed class RoutePlannerTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Key = Guid.NewGuid();

    private static RoutingPolicy Policy(string name, string type, params (string Model, decimal Weight)[] entries) => new()
    {
        OrganizationId = Org,
        Name = name,
        Type = type,
        Entries = entries.Select(e => new RoutingPolicyEntry { Model = e.Model, Weight = e.Weight, Retries = 1 }).ToArray(),
        Version = 1,
    };

    private static RoutePlanner Planner(params RoutingPolicy[] policies)
    {
        var cache = new PolicyCache();
        cache.ReplaceAll(policies);
        return new RoutePlanner(cache, new LatencyTracker(TimeProvider.System), () => 0.5);
    }

    private static string First(RoutePlanner planner, string policy, string hashKey)
    {
        Assert.True(planner.TryPlan(Org, Key, policy, hashKey, out var plan));
        return plan.Candidates[0].Model;
    }

    [Fact]
    public void Fallback_expands_nested_policies_in_place_and_keeps_retries()
    {
        var planner = Planner(
            Policy("inner", "fallback", ("anthropic/claude-sonnet-4-5", 1), ("google/gemini-2.5-flash", 1)),
            Policy("outer", "fallback", ("openai/gpt-4o", 1), ("policy/inner", 1), ("openai/gpt-4o-mini", 1)));

        Assert.True(planner.TryPlan(Org, Key, "outer", "x", out var plan));
        Assert.Equal(["openai/gpt-4o", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash", "openai/gpt-4o-mini"],
            plan.Candidates.Select(c => c.Model));
        Assert.All(plan.Candidates, c => Assert.Equal(1, c.Retries));
        Assert.Equal("policy/outer > policy/inner", plan.Candidates[1].Via);
    }

    [Fact]
    public void Unknown_policy_and_policies_of_other_keys_do_not_resolve()
    {
        var otherKeysPolicy = Policy("mine", "fallback", ("openai/gpt-4o", 1)) with { ApiKeyId = Guid.NewGuid() };
        var planner = Planner(otherKeysPolicy);
        Assert.False(planner.TryPlan(Org, Key, "missing", "x", out _));
        Assert.False(planner.TryPlan(Org, Key, "mine", "x", out _));
        Assert.True(planner.TryPlan(Org, otherKeysPolicy.ApiKeyId!.Value, "mine", "x", out _));
        Assert.False(planner.TryPlan(Guid.NewGuid(), Key, "mine", "x", out _));
    }

    [Fact]
    public void Same_trace_id_always_lands_on_the_same_entry()
    {
        var planner = Planner(Policy("ab", "loadbalance", ("openai/gpt-4o", 50), ("anthropic/claude-sonnet-4-5", 50)));
        var first = First(planner, "ab", "user-12345");
        for (var i = 0; i < 1_000; i++) Assert.Equal(first, First(planner, "ab", "user-12345"));
        // Different ids do reach both entries.
        Assert.Equal(2, Enumerable.Range(0, 50).Select(i => First(planner, "ab", $"user-{i}")).Distinct().Count());
    }

    [Fact]
    public void Ten_thousand_ids_split_within_two_percent_of_the_normalised_weights()
    {
        // Weights need not add up to 100: 7:2:1 is 70% / 20% / 10%.
        var planner = Planner(Policy("split", "loadbalance", ("openai/gpt-4o-mini", 7), ("openai/gpt-4o", 2), ("openai/gpt-5.2", 1)));
        var counts = Enumerable.Range(0, 10_000)
            .Select(_ => First(planner, "split", Guid.CreateVersion7().ToString()))
            .GroupBy(m => m)
            .ToDictionary(g => g.Key, g => g.Count() / 10_000.0);

        Assert.InRange(counts["openai/gpt-4o-mini"], 0.68, 0.72);
        Assert.InRange(counts["openai/gpt-4o"], 0.18, 0.22);
        Assert.InRange(counts["openai/gpt-5.2"], 0.08, 0.12);
    }

    [Fact]
    public void Load_balancing_over_policies_decides_each_level_independently()
    {
        // Both levels 50/50 over the same ids: if the inner pick reused the outer hash, one model per side would never be used.
        var planner = Planner(
            Policy("left", "loadbalance", ("openai/gpt-4o", 1), ("openai/gpt-4o-mini", 1)),
            Policy("right", "loadbalance", ("anthropic/claude-sonnet-4-5", 1), ("google/gemini-2.5-flash", 1)),
            Policy("top", "loadbalance", ("policy/left", 1), ("policy/right", 1)));
        var counts = Enumerable.Range(0, 4_000)
            .Select(i => First(planner, "top", $"trace-{i}"))
            .GroupBy(m => m)
            .ToDictionary(g => g.Key, g => g.Count() / 4_000.0);

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, share => Assert.InRange(share, 0.22, 0.28));
    }

    [Fact]
    public void The_picked_entry_comes_first_and_the_others_follow_as_fallbacks()
    {
        var planner = Planner(Policy("lb", "loadbalance", ("openai/gpt-4o", 10), ("openai/gpt-4o-mini", 60), ("openai/gpt-5.2", 30)));
        Assert.True(planner.TryPlan(Org, Key, "lb", "some-trace", out var plan));
        Assert.Equal(3, plan.Candidates.Count);
        var rest = plan.Candidates.Skip(1).Select(c => c.Model).ToList();
        var expectedRest = new[] { ("openai/gpt-4o-mini", 60), ("openai/gpt-5.2", 30), ("openai/gpt-4o", 10) }
            .Where(e => e.Item1 != plan.Candidates[0].Model).Select(e => e.Item1).ToList();
        Assert.Equal(expectedRest, rest);
    }

    [Fact]
    public void A_cycle_in_a_stale_cache_does_not_loop()
    {
        var planner = Planner(
            Policy("a", "fallback", ("openai/gpt-4o", 1), ("policy/b", 1)),
            Policy("b", "fallback", ("policy/a", 1), ("openai/gpt-4o-mini", 1)));
        Assert.True(planner.TryPlan(Org, Key, "a", "x", out var plan));
        Assert.Equal(["openai/gpt-4o", "openai/gpt-4o-mini"], plan.Candidates.Select(c => c.Model));
    }

    [Fact]
    public void Pick_uses_the_hash_position_over_cumulative_weights()
    {
        RoutingPolicyEntry[] entries = [new() { Model = "a", Weight = 1 }, new() { Model = "b", Weight = 3 }];
        Assert.Equal(0, RoutePlanner.Pick(entries, 0));
        Assert.Equal(0, RoutePlanner.Pick(entries, ulong.MaxValue / 4 - (1UL << 12)));
        Assert.Equal(1, RoutePlanner.Pick(entries, ulong.MaxValue / 4 + (1UL << 12)));
        Assert.Equal(1, RoutePlanner.Pick(entries, ulong.MaxValue));
    }
}
