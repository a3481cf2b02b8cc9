using Xunit.Abstractions;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using Requesty.TestKit;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Bulk;

/// <summary>
/// 100,000 RequestCompleted sent through RabbitMQ with MassTransit in RequestCompletedBatch messages of 100 as the
/// router sends them (5,000 of them twice, in batches of their own), while ClickHouse
/// becomes unreachable for 30 s in the middle of ingestion (a TCP proxy in front of the shared server cuts
/// and refuses connections). Every count, sum and quantile the API returns must equal the test's own computation.
/// </summary>
[Collection(BulkIngestCollection.Name)]
public class BulkIngestTests(ITestOutputHelper output)
{
    private const int Count = 100_000;
    private const int Duplicates = 5_000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hundred_thousand_events_with_duplicates_and_a_30s_ClickHouse_outage_give_exact_dashboards()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string phase) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {phase}");
        await using var proxy = RefusingTcpProxy.Start(new Uri(TestServers.ClickHouseUrl));
        var prefix = ServiceWithOwnQueues.NewQueuePrefix();
        await using var host = await ServiceWithOwnQueues.StartAsync(AnalyticsApp.Build, prefix,
            $"--ClickHouse:Url={proxy.Url}",
            $"--Management:Url={StubManagement.Shared.Url}",
            "--Analytics:Ingestion:RetryLimit=1000",
            "--Analytics:Ingestion:RetryMinIntervalMs=200",
            "--Analytics:Ingestion:RetryMaxIntervalMs=2000",
            "--Analytics:Rollup:IntervalSeconds=10");
        // Without publisher confirms (about three times faster on 2 cores); the broker is local and stays up.
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri), h => h.PublisherConfirmation = false));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var clickHouse = DirectClickHouse();
        try
        {
            var org = Guid.NewGuid();
            var events = BulkTraffic.Generate(org, Count, seed: 20251122);
            // Redeliveries go before the second half, so they are stored before the last originals arrive
            // (one batch at a time, in queue order): "all originals stored" then implies "duplicates processed".
            List<RequestCompleted> sendOrder = [.. events.Take(Count / 2), .. events.Take(Duplicates), .. events.Skip(Count / 2)];

            Log("service started, events generated");
            var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{prefix}{IngestionEndpoint.BatchQueueName}?durable=false&autodelete=true"));
            var sending = SendAllAsync(endpoint, sendOrder);

            await Eventually.GetAsync(async () => await CountAsync(clickHouse, org) >= 5_000 ? "started" : null,
                TimeSpan.FromSeconds(90), "ingestion under way");
            Log("5,000+ stored; ClickHouse unreachable for 30 s");
            await proxy.RefuseConnectionsAsync(Outage);
            Log($"ClickHouse reachable again ({proxy.CutConnections} connections cut)");
            await sending;
            Log("all sent");
            await Eventually.GetAsync(async () => await CountAsync(clickHouse, org) == Count ? "all" : null,
                TimeSpan.FromSeconds(300), $"all {Count} requests stored once");

            Log("all stored");
            using var api = host.CreateClient();
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
            var range = $"org_id={org}&from={BulkTraffic.Start:O}&to={BulkTraffic.Start.AddDays(BulkTraffic.Days):O}";
            await AssertGeneralAsync(api, range, events);
            await AssertSavingsAsync(api, range, events);
            await AssertQueryAsync(api, org, events);
            Log("dashboards checked");
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task AssertGeneralAsync(HttpClient api, string range, List<RequestCompleted> events)
    {
        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/general?{range}&group_by=model&time_grouping=day");
        AssertStats(events, body.GetProperty("totals"));
        var series = body.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("group").GetString()!);
        Assert.Equal(events.Select(ModelOf).Distinct().Order(), series.Keys.Order());
        foreach (var model in events.GroupBy(ModelOf))
        {
            AssertStats([.. model], series[model.Key].GetProperty("totals"));
            var points = series[model.Key].GetProperty("points").EnumerateArray()
                .ToDictionary(p => p.GetProperty("t").GetDateTime().ToUniversalTime(), p => p.GetProperty("stats"));
            foreach (var day in model.GroupBy(e => e.StartedAt.Date))
                AssertStats([.. day], points[DateTime.SpecifyKind(day.Key, DateTimeKind.Utc)]);
        }
    }

    private static void AssertStats(List<RequestCompleted> expected, JsonElement stats)
    {
        Assert.Equal(expected.Count, stats.GetProperty("requests").GetInt64());
        Assert.Equal(expected.Sum(e => e.CostUsd), stats.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(expected.Sum(Savings), stats.GetProperty("cost_savings_usd").GetDecimal());
        Assert.Equal(expected.Sum(e => e.Usage.InputTokens), stats.GetProperty("input_tokens").GetInt64());
        Assert.Equal(expected.Sum(e => e.Usage.OutputTokens), stats.GetProperty("output_tokens").GetInt64());
        Assert.Equal(expected.Sum(e => e.Usage.CacheReadTokens), stats.GetProperty("cached_tokens").GetInt64());
        Assert.Equal(expected.Sum(e => e.Usage.CacheWriteTokens), stats.GetProperty("cache_write_tokens").GetInt64());
        Assert.Equal(QuantileExact(expected.Select(e => (decimal)e.LatencyMs), 0.5), stats.GetProperty("latency_p50_ms").GetDecimal());
        Assert.Equal(QuantileExact(expected.Select(e => (decimal)e.LatencyMs), 0.9), stats.GetProperty("latency_p90_ms").GetDecimal());
        // ClickHouse averages in Float64 and the API rounds to 3 decimals: equal up to that last digit.
        var average = (decimal)expected.Sum(e => (long)e.LatencyMs) / expected.Count;
        Assert.InRange(stats.GetProperty("latency_avg_ms").GetDecimal(), average - 0.001m, average + 0.001m);
    }

    private static async Task AssertSavingsAsync(HttpClient api, string range, List<RequestCompleted> events)
    {
        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/savings?{range}");
        var totals = body.GetProperty("totals");
        Assert.Equal(events.Count(e => e.Usage.CacheReadTokens > 0), totals.GetProperty("cache_hits").GetInt64());
        Assert.Equal(events.Sum(Savings), totals.GetProperty("saved_usd").GetDecimal());
        var models = body.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        foreach (var model in events.GroupBy(ModelOf))
        {
            Assert.Equal(model.Count(e => e.Usage.CacheReadTokens > 0), models[model.Key].GetProperty("cache_hits").GetInt64());
            Assert.Equal(model.Sum(e => e.Usage.CacheReadTokens), models[model.Key].GetProperty("cached_tokens").GetInt64());
            Assert.Equal(model.Sum(Savings), models[model.Key].GetProperty("saved_usd").GetDecimal());
        }
    }

    private static async Task AssertQueryAsync(HttpClient api, Guid org, List<RequestCompleted> events)
    {
        var request = new
        {
            org_id = org, metric = "latency_ms", calculation = "p95", group_by = "user", time_grouping = "day",
            from = BulkTraffic.Start, to = BulkTraffic.Start.AddDays(BulkTraffic.Days),
        };
        using var response = await api.PostAsJsonAsync("v1/analytics/query", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var series = JsonDocument.Parse(text).RootElement.GetProperty("series").EnumerateArray()
            .ToDictionary(s => s.GetProperty("group").GetString()!);
        foreach (var user in events.GroupBy(e => e.Caller.UserId!.Value.ToString()))
        {
            Assert.Equal(QuantileExact(user.Select(e => (decimal)e.LatencyMs), 0.95), series[user.Key].GetProperty("total").GetDecimal());
            var points = series[user.Key].GetProperty("points").EnumerateArray()
                .ToDictionary(p => p.GetProperty("t").GetDateTime().ToUniversalTime(), p => p.GetProperty("value").GetDecimal());
            foreach (var day in user.GroupBy(e => e.StartedAt.Date))
                Assert.Equal(QuantileExact(day.Select(e => (decimal)e.LatencyMs), 0.95), points[DateTime.SpecifyKind(day.Key, DateTimeKind.Utc)]);
        }
    }

    /// <summary>As the router sends them: RequestCompletedBatch messages of 100 events, 20 in flight.</summary>
    private static async Task SendAllAsync(ISendEndpoint endpoint, List<RequestCompleted> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        using var gate = new SemaphoreSlim(20);
        var sends = new List<Task>();
        foreach (var chunk in events.Chunk(100))
        {
            await gate.WaitAsync(timeout.Token);
            sends.Add(SendAsync(new RequestCompletedBatch { Events = chunk }));
        }
        await Task.WhenAll(sends);

        async Task SendAsync(RequestCompletedBatch batch)
        {
            try { await endpoint.Send(batch, timeout.Token); }
            finally { gate.Release(); }
        }
    }

    private static ClickHouseClient DirectClickHouse() => new(new HttpClient(), Options.Create(new ClickHouseOptions
    {
        Url = TestServers.ClickHouseUrl, Database = TestServers.ClickHouseDatabase,
        User = TestServers.ClickHouseUser, Password = TestServers.ClickHousePassword,
    }));

    private static async Task<ulong> CountAsync(ClickHouseClient clickHouse, Guid org) =>
        (await clickHouse.QueryAsync($"SELECT count() AS count FROM requests FINAL WHERE organization_id = {SqlLiteral.Uuid(org)}",
            TestJsonContext.Default.CountResult, CancellationToken.None)).Single().Count;
}

// Runs on its own after the parallel collections: 100k events on 2 cores would starve their time-bounded waits.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BulkIngestCollection
{
    public const string Name = "bulk ingest";
}
