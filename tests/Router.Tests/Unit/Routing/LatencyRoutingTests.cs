using Requesty.Contracts.Management;
using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Routing;

public sealed class LatencyRoutingTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Key = Guid.NewGuid();

    private static readonly RoutingPolicy Fastest = new()
    {
        OrganizationId = Org, Name = "fastest", Type = "latency", Version = 1,
        Entries = [new() { Model = "openai/gpt-4o" }, new() { Model = "anthropic/claude-sonnet-4-5" }, new() { Model = "google/gemini-2.5-flash" }],
    };

    private static (RoutePlanner Planner, LatencyTracker Tracker) Planner(ManualTimeProvider clock, Func<double> random)
    {
        var cache = new PolicyCache();
        cache.ReplaceAll([Fastest]);
        var tracker = new LatencyTracker(clock);
        return (new RoutePlanner(cache, tracker, random), tracker);
    }

    private static void Samples(LatencyTracker tracker, string model, int count, int ms)
    {
        for (var i = 0; i < count; i++) tracker.Record(Org, model, "platform", TimeSpan.FromMilliseconds(ms));
    }

    private static IEnumerable<string> Order(RoutePlanner planner)
    {
        Assert.True(planner.TryPlan(Org, Key, "fastest", "x", out var plan));
        return plan.Candidates.Select(c => c.Model);
    }

    [Fact]
    public void Measured_entries_go_fastest_first_and_entries_without_data_last()
    {
        var (planner, tracker) = Planner(new ManualTimeProvider(), () => 0.99);
        Assert.Equal(["openai/gpt-4o", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash"], Order(planner));

        Samples(tracker, "openai/gpt-4o", 10, 900);
        Samples(tracker, "google/gemini-2.5-flash", 10, 150);
        Samples(tracker, "anthropic/claude-sonnet-4-5", 4, 10); // fast, but too few samples to count yet
        Assert.Equal(["google/gemini-2.5-flash", "openai/gpt-4o", "anthropic/claude-sonnet-4-5"], Order(planner));

        Samples(tracker, "anthropic/claude-sonnet-4-5", 1, 10);
        Assert.Equal(["anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash", "openai/gpt-4o"], Order(planner));
    }

    [Fact]
    public void An_entry_without_data_is_explored_on_a_small_share_of_requests()
    {
        var draws = new Queue<double>([0.01, 0.0, 0.5, 0.2]);
        var (planner, tracker) = Planner(new ManualTimeProvider(), () => draws.Dequeue());
        Samples(tracker, "openai/gpt-4o", 10, 300);
        Samples(tracker, "google/gemini-2.5-flash", 10, 200);

        // Draw 0.01 < 7.5%: explore; draw 0.0 picks the (only) unmeasured entry.
        Assert.Equal(["anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash", "openai/gpt-4o"], Order(planner));
        // Draw 0.5: no exploration.
        Assert.Equal(["google/gemini-2.5-flash", "openai/gpt-4o", "anthropic/claude-sonnet-4-5"], Order(planner));
        Assert.InRange(RoutePlanner.ExplorationRate, 0.05, 0.10);
    }

    [Fact]
    public void The_window_keeps_the_last_hundred_samples_of_the_last_hour()
    {
        var clock = new ManualTimeProvider();
        var tracker = new LatencyTracker(clock);
        Samples(tracker, "openai/gpt-4o", 100, 1000);
        Samples(tracker, "openai/gpt-4o", 60, 100);
        Assert.Equal((100, 100.0), tracker.Stats(Org, "openai/gpt-4o"));

        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal((0, null), tracker.Stats(Org, "openai/gpt-4o"));
        Assert.Equal((0, null), tracker.Stats(Guid.NewGuid(), "openai/gpt-4o"));
    }
}
