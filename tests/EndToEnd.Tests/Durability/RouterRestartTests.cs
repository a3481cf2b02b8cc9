using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 3: the router as a real process, stopped with SIGTERM (what a deployment does) and started
/// again on the same journal folder: every request that got a 200 ends as exactly one row in ClickHouse.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class RouterRestartTests(DurabilityFixture suite)
{
    private const int Concurrency = 16;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Router_stopped_with_sigterm_mid_load_and_restarted_loses_nothing()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        var outcomes = new List<ChatOutcome>();

        await using (var first = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            using var load = new ChatLoad(first.BaseAddress, apiKey);
            outcomes.Add(await WarmUpAsync(load));
            var running = load.RunAsync(0, 400, Concurrency);
            await WaitUntilAsync(() => load.Completed >= 150 || running.IsCompleted);
            var exitCode = await first.TerminateAsync(ShutdownTimeout);
            outcomes.AddRange(await running);
            Assert.True(exitCode == 0, $"router exited with {exitCode} after SIGTERM; output:\n{first.Output}");
        }
        Assert.True(outcomes.Count(o => o.Succeeded) >= 150, "fewer requests than expected were served before SIGTERM");

        await using (var second = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            using var load = new ChatLoad(second.BaseAddress, apiKey);
            var afterRestart = await load.RunAsync(400, 100, Concurrency);
            Assert.All(afterRestart, o => Assert.True(o.Succeeded, $"#{o.Index}: {o.Status} {o.Failure}"));
            outcomes.AddRange(afterRestart);

            await AssertEachServedRequestHasExactlyOneRowAsync(key.ApiKeyId, outcomes);
            await Eventually.GetAsync(() => Task.FromResult(JournalState.Read(journal.Path) is { Drained: true } state ? state : null),
                TimeSpan.FromSeconds(30), $"journal drained while the restarted router runs ({JournalState.Read(journal.Path)})");

            Assert.Equal(0, await second.TerminateAsync(ShutdownTimeout));
        }
        AssertDrained(journal.Path);
    }

    [Fact]
    public async Task Events_left_on_disk_when_the_router_stops_without_a_broker_are_published_after_restart()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        var unreachableBroker = $"amqp://requesty:requesty@127.0.0.1:{FreePorts.Take(1)[0]}/requesty_test";
        var outcomes = new List<ChatOutcome>();

        await using (var offline = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path, unreachableBroker), waitForReadiness: false))
        {
            using var load = new ChatLoad(offline.BaseAddress, apiKey);
            outcomes.Add(await WarmUpAsync(load));
            var running = load.RunAsync(0, 300, Concurrency);
            await WaitUntilAsync(() => load.Completed >= 100 || running.IsCompleted);
            var exitCode = await offline.TerminateAsync(ShutdownTimeout);
            outcomes.AddRange(await running);
            Assert.True(exitCode == 0, $"router exited with {exitCode} after SIGTERM; output:\n{offline.Output}");
        }
        var served = outcomes.Count(o => o.Succeeded);
        Assert.True(served >= 100, "fewer requests than expected were served before SIGTERM");
        var backlog = JournalState.Read(journal.Path);
        Assert.True(backlog.UnpublishedBytes > 0, $"nothing left in the journal although the broker was unreachable: {backlog}");

        await using (var online = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            await AssertEachServedRequestHasExactlyOneRowAsync(key.ApiKeyId, outcomes);
            await Eventually.GetAsync(() => Task.FromResult(JournalState.Read(journal.Path) is { Drained: true } state ? state : null),
                TimeSpan.FromSeconds(30), $"journal drained after restart ({JournalState.Read(journal.Path)})");
            Assert.Equal(0, await online.TerminateAsync(ShutdownTimeout));
        }
        AssertDrained(journal.Path);
    }

    [Fact]
    public async Task Graceful_shutdown_right_after_a_burst_publishes_every_event_before_the_process_exits()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        var outcomes = new List<ChatOutcome>();

        await using (var router = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            using var load = new ChatLoad(router.BaseAddress, apiKey);
            outcomes.Add(await WarmUpAsync(load));
            outcomes.AddRange(await load.RunAsync(0, 300, Concurrency));
            Assert.Equal(0, await router.TerminateAsync(ShutdownTimeout));
        }
        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"#{o.Index}: {o.Status} {o.Failure}"));

        // Nothing runs any more: whatever is in ClickHouse was published before the exit.
        AssertDrained(journal.Path);
        await AssertEachServedRequestHasExactlyOneRowAsync(key.ApiKeyId, outcomes);
    }

    private async Task AssertEachServedRequestHasExactlyOneRowAsync(Guid apiKeyId, IEnumerable<ChatOutcome> outcomes)
    {
        var served = outcomes.Where(o => o.Succeeded).Select(o => Guid.Parse(o.RequestId!)).ToHashSet();
        var rows = await suite.ClickHouse.WaitForAllAsync(apiKeyId, served, ArrivalTimeout);
        var duplicated = rows.Where(r => r.Value != 1).ToList();
        Assert.True(duplicated.Count == 0, $"request ids with more than one row: {string.Join(", ", duplicated.Take(5))}");
    }

    private static void AssertDrained(string journal)
    {
        var state = JournalState.Read(journal);
        Assert.True(state.Drained, $"journal not drained after the router exited: {state}");
    }

    /// <summary>The first request the router serves (its key snapshot may still be loading).</summary>
    private static Task<ChatOutcome> WarmUpAsync(ChatLoad load) =>
        Eventually.GetAsync(async () => await load.SendAsync(-1) is { Succeeded: true } ok ? ok : null,
            TimeSpan.FromSeconds(30), "router serves the key");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
    }
}
