using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Control;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 3 at the edges of a request's life: requests still running when SIGTERM arrives, and
/// requests that fail or that the client abandons, each end as exactly one RequestCompleted.
/// The simulator's behaviour rules are global: these tests reset them whatever happens.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class InFlightShutdownTests(DurabilityFixture suite)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Requests_and_streams_in_flight_at_sigterm_complete_and_are_each_recorded_once()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        using var simulatorHttp = suite.Simulator.CreateClient();
        var simulator = new SimulatorControlClient(simulatorHttp);
        List<ChatOutcome> outcomes;

        await using (var router = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            using var load = new ChatLoad(router.BaseAddress, apiKey);
            var warmUp = await WarmUpAsync(load);
            try
            {
                await simulator.ClearRequestsAsync();
                await simulator.SetBehaviourAsync(new SimBehaviour { Provider = "openai", LatencyMs = 1500, ChunkDelayMs = 100 });
                var inFlight = load.RunAsync(0, 16, concurrency: 16); // three of them stream
                await Eventually.GetAsync(async () => (await simulator.GetRequestsAsync(100)).Count >= 16 ? "all upstream" : null,
                    TimeSpan.FromSeconds(30), "16 requests waiting in the simulator");

                var exitCode = await router.TerminateAsync(ShutdownTimeout);
                outcomes = [warmUp, .. await inFlight];
                Assert.True(exitCode == 0, $"router exited with {exitCode} after SIGTERM; output:\n{router.Output}");
            }
            finally
            {
                await simulator.ResetBehaviourAsync();
            }
        }

        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"#{o.Index}: {o.Status} {o.Failure}"));
        var state = JournalState.Read(journal.Path);
        Assert.True(state.Drained, $"journal not drained after the router exited: {state}");
        var ids = outcomes.Select(o => Guid.Parse(o.RequestId!)).ToHashSet();
        var rows = await suite.ClickHouse.WaitForAllAsync(key.ApiKeyId, ids, TimeSpan.FromSeconds(60));
        Assert.All(ids, id => Assert.Equal(1, rows[id]));
    }

    [Fact]
    public async Task Failed_and_abandoned_requests_are_recorded_once_with_their_outcome()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        using var simulatorHttp = suite.Simulator.CreateClient();
        var simulator = new SimulatorControlClient(simulatorHttp);
        var failed = new List<ChatOutcome>();
        var abandoned = new List<Guid>();

        await using (var router = await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            using var load = new ChatLoad(router.BaseAddress, apiKey);
            await WarmUpAsync(load);
            try
            {
                await simulator.SetBehaviourAsync(new SimBehaviour { Provider = "openai", Status = 400 });
                for (var i = 0; i < 3; i++) failed.Add(await load.SendAsync(i * 5)); // not streamed
                await simulator.SetBehaviourAsync(new SimBehaviour { Provider = "openai", ChunkDelayMs = 500 });
                for (var i = 0; i < 3; i++) abandoned.Add(Guid.Parse(await load.StartStreamAndCancelAsync(i)));
            }
            finally
            {
                await simulator.ResetBehaviourAsync();
            }
            Assert.Equal(0, await router.TerminateAsync(ShutdownTimeout));
        }

        Assert.All(failed, o => Assert.True(o.Status == 400 && o.RequestId is not null, $"#{o.Index}: {o.Status} {o.Failure}"));
        var expected = failed.Select(o => Guid.Parse(o.RequestId!)).Concat(abandoned).ToList();
        await suite.ClickHouse.WaitForAllAsync(key.ApiKeyId, expected, TimeSpan.FromSeconds(60));
        foreach (var outcome in failed)
        {
            var rows = await suite.ClickHouse.RowsOfRequestAsync(Guid.Parse(outcome.RequestId!));
            Assert.Equal([("error", 400)], rows);
        }
        foreach (var id in abandoned)
        {
            var rows = await suite.ClickHouse.RowsOfRequestAsync(id);
            Assert.Equal([("error", 499)], rows);
        }
    }

    private static Task<ChatOutcome> WarmUpAsync(ChatLoad load) =>
        Eventually.GetAsync(async () => await load.SendAsync(-1) is { Succeeded: true } ok ? ok : null,
            TimeSpan.FromSeconds(30), "router serves the key");
}
