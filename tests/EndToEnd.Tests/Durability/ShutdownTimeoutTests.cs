using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Control;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// A stream that outlives the host's shutdown timeout is cut off by Kestrel; it must still end as
/// exactly one RequestCompleted, at the latest when the router starts again on its journal.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class ShutdownTimeoutTests(DurabilityFixture suite)
{
    [Fact]
    public async Task A_stream_cut_off_by_the_shutdown_timeout_is_recorded_exactly_once()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        using var simulatorHttp = suite.Simulator.CreateClient();
        var simulator = new SimulatorControlClient(simulatorHttp);
        ChatOutcome warmUp, cutOff;
        int exitCode;

        await using (var router = await RouterProcess.StartAsync([.. suite.RouterArgs(journal.Path), "--shutdownTimeoutSeconds=3"]))
        {
            using var load = new ChatLoad(router.BaseAddress, apiKey);
            warmUp = await Eventually.GetAsync(async () => await load.SendAsync(-1) is { Succeeded: true } ok ? ok : null,
                TimeSpan.FromSeconds(30), "router serves the key");
            try
            {
                await simulator.ClearRequestsAsync();
                await simulator.SetBehaviourAsync(new SimBehaviour { Provider = "openai", ChunkDelayMs = 2000 });
                var running = load.SendAsync(4); // streamed; lasts far longer than the 3 s shutdown timeout
                await Eventually.GetAsync(async () => (await simulator.GetRequestsAsync(10)).Count >= 1 ? "upstream" : null,
                    TimeSpan.FromSeconds(30), "the stream reached the simulator");
                exitCode = await router.TerminateAsync(TimeSpan.FromSeconds(60));
                cutOff = await running;
            }
            finally
            {
                await simulator.ResetBehaviourAsync();
            }
        }
        Assert.True(cutOff is { Status: 200, RequestId: not null, Failure: not null }, $"the stream was not cut off: {cutOff}");
        Assert.Equal(0, exitCode);

        await using (await RouterProcess.StartAsync(suite.RouterArgs(journal.Path)))
        {
            var ids = new[] { warmUp, cutOff }.Select(o => Guid.Parse(o.RequestId!)).ToList();
            var rows = await suite.ClickHouse.WaitForAllAsync(key.ApiKeyId, ids, TimeSpan.FromSeconds(60));
            Assert.All(ids, id => Assert.Equal(1, rows[id]));
            await Eventually.GetAsync(() => Task.FromResult(JournalState.Read(journal.Path) is { Drained: true } state ? state : null),
                TimeSpan.FromSeconds(30), $"journal drained after restart ({JournalState.Read(journal.Path)})");
        }
    }
}
