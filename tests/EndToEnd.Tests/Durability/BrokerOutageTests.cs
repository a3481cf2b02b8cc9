using Requesty.Router;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>Issue 3: RabbitMQ stopped while requests run, then started: every request is in ClickHouse exactly once.</summary>
[Collection(DurabilityCollection.Name)]
public sealed class BrokerOutageTests(DurabilityFixture suite)
{
    private const int Concurrency = 16;

    [Fact]
    public async Task Rabbitmq_stopped_and_started_during_500_requests_loses_and_duplicates_nothing()
    {
        using var journal = new TemporaryDirectory();
        var (apiKey, key) = suite.NewKey();
        var router = await ServiceHost.StartAsync(RouterApp.Build, [.. suite.RouterArgs(journal.Path), .. DurabilityFixture.QuietLogs]);
        Task? stopping = null;
        var restarted = false;
        try
        {
            using var load = new ChatLoad(router.BaseAddress, apiKey);
            var warmUp = await Eventually.GetAsync(async () => await load.SendAsync(-1) is { Succeeded: true } ok ? ok : null,
                TimeSpan.FromSeconds(30), "router knows the key");

            // 1) 150 requests with the broker up; it is stopped while they run.
            var beforeOutage = load.RunAsync(0, 150, Concurrency);
            await WaitUntilAsync(() => load.Completed >= 50 || beforeOutage.IsCompleted);
            stopping = suite.Servers.StopRabbitMqAsync();
            var outcomes = new List<ChatOutcome>(await beforeOutage);
            await stopping;
            Assert.False(suite.Servers.RabbitMqListening, "RabbitMQ still listens after stop");

            // 2) 200 requests while the broker is certainly down: the router keeps serving.
            outcomes.AddRange(await load.RunAsync(150, 200, Concurrency));

            // 3) 150 requests while it starts again.
            var afterOutage = load.RunAsync(350, 150, Concurrency);
            await suite.Servers.StartRabbitMqAsync();
            restarted = true;
            outcomes.AddRange(await afterOutage);

            var failed = outcomes.Where(o => !o.Succeeded).ToList();
            Assert.True(failed.Count == 0,
                $"{failed.Count} of 500 requests failed, e.g. {string.Join("; ", failed.Take(3).Select(f => $"#{f.Index}: {f.Status} {f.Failure}"))}");
            var ids = outcomes.Append(warmUp).Select(o => Guid.Parse(o.RequestId!)).ToHashSet();
            Assert.Equal(501, ids.Count);

            var rows = await suite.ClickHouse.WaitForAllAsync(key.ApiKeyId, ids, TimeSpan.FromSeconds(150));
            var duplicated = rows.Where(r => r.Value != 1).ToList();
            Assert.True(duplicated.Count == 0, $"request ids with more than one row: {string.Join(", ", duplicated.Take(5))}");
        }
        finally
        {
            if (stopping is not null && !restarted) await RestartBrokerAsync(stopping); // leave it up for the next test
            await router.DisposeAsync();
        }
    }

    private async Task RestartBrokerAsync(Task stopping)
    {
        try { await stopping; } catch (Exception ex) { Console.Error.WriteLine($"stopping RabbitMQ failed: {ex.Message}"); }
        await suite.Servers.StartRabbitMqAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
    }
}
