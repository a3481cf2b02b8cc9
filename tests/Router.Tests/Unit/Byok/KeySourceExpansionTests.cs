using Requesty.Contracts.Management;
using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Byok;

public sealed class KeySourceExpansionTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Key = Guid.NewGuid();

    private static RoutePlan Plan(params (string Model, string KeySource)[] entries)
    {
        var cache = new PolicyCache();
        cache.ReplaceAll([new RoutingPolicy
        {
            OrganizationId = Org, Name = "p", Type = "fallback", Version = 1,
            Entries = entries.Select(e => new RoutingPolicyEntry { Model = e.Model, KeySource = e.KeySource, Retries = 2 }).ToArray(),
        }]);
        var planner = new RoutePlanner(cache, new LatencyTracker(TimeProvider.System), () => 0.5);
        Assert.True(planner.TryPlan(Org, Key, "p", "x", out var plan));
        return plan;
    }

    [Fact]
    public void Each_key_source_expands_into_its_candidates_in_order_with_the_entry_retries()
    {
        var plan = Plan(
            ("openai/gpt-4o", "platform"),
            ("anthropic/claude-sonnet-4-5", "byok"),
            ("google/gemini-2.5-flash", "platform_then_byok"),
            ("openai/gpt-4o-mini", "byok_then_platform"));

        Assert.Equal(
            [
                ("openai/gpt-4o", "platform"),
                ("anthropic/claude-sonnet-4-5", "byok"),
                ("google/gemini-2.5-flash", "platform"),
                ("google/gemini-2.5-flash", "byok"),
                ("openai/gpt-4o-mini", "byok"),
                ("openai/gpt-4o-mini", "platform"),
            ],
            plan.Candidates.Select(c => (c.Model, c.KeySource)));
        Assert.All(plan.Candidates, c => Assert.Equal(2, c.Retries));
    }

    [Theory]
    [InlineData("platform", "platform")]
    [InlineData("byok", "byok")]
    [InlineData("platform_then_byok", "platform")]
    [InlineData("byok_then_platform", "byok")]
    [InlineData("something-else", "platform")]
    public void Latency_is_measured_for_the_key_source_of_the_first_attempt(string keySource, string effective) =>
        Assert.Equal(effective, RoutePlanner.EffectiveKeySource(keySource));
}
