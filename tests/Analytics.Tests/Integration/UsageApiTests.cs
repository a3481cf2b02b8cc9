using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>GET /general, /savings and /apikey/{id}/usage checked against LINQ over the synthetic data set.</summary>
[Collection(AnalyticsServiceCollection.Name)]
public class UsageApiTests(AnalyticsServiceFixture service)
{
    private const string Range = "from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z";

    [Fact]
    public async Task General_totals_buckets_groups_and_model_table_match_the_events()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);

        var body = await GetAsync($"v1/analytics/general?org_id={org}&{Range}&time_grouping=hour&group_by=provider");

        AssertStats(events, body.GetProperty("totals"));
        var series = body.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("group").GetString()!);
        foreach (var provider in events.GroupBy(e => e.ServedProvider ?? ""))
        {
            AssertStats([.. provider], series[provider.Key].GetProperty("totals"));
            var points = series[provider.Key].GetProperty("points").EnumerateArray().ToList();
            var hours = provider.GroupBy(e => Truncate(e.StartedAt, TimeSpan.FromHours(1))).OrderBy(h => h.Key).ToList();
            Assert.Equal(hours.Select(h => h.Key), points.Select(p => p.GetProperty("t").GetDateTime().ToUniversalTime()));
            foreach (var (hour, point) in hours.Zip(points)) AssertStats([.. hour], point.GetProperty("stats"));
        }

        var models = body.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(events.Select(ModelOf).Distinct().Count(), models.Count);
        long allTokens = events.Sum(TotalTokens);
        foreach (var row in models)
        {
            var mine = events.Where(e => ModelOf(e) == row.GetProperty("model").GetString()).ToList();
            Assert.Equal(mine.Count, row.GetProperty("requests").GetInt32());
            Assert.Equal(Math.Round(mine.Count * 100m / events.Count, 4), row.GetProperty("requests_percent").GetDecimal());
            Assert.Equal(mine.Sum(TotalTokens), row.GetProperty("tokens").GetInt64());
            Assert.Equal(Math.Round(mine.Sum(TotalTokens) * 100m / allTokens, 4), row.GetProperty("tokens_percent").GetDecimal());
            Assert.Equal(mine.Sum(e => e.CostUsd), row.GetProperty("cost_usd").GetDecimal());
        }
        Assert.Equal(models.Select(m => m.GetProperty("cost_usd").GetDecimal()).OrderDescending(), models.Select(m => m.GetProperty("cost_usd").GetDecimal()));
    }

    [Theory]
    [InlineData("week")]
    [InlineData("month")]
    public async Task General_weeks_start_on_monday_and_months_on_the_first(string grouping)
    {
        var org = Guid.NewGuid();
        DateTime[] times = [new(2025, 6, 1, 23, 0, 0, DateTimeKind.Utc), new(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc), new(2025, 6, 8, 23, 59, 59, DateTimeKind.Utc), new(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc)];
        await service.Writer.WriteAsync([.. times.Select(t => Events.Completed(org, startedAt: t, cost: 1m))], CancellationToken.None);

        var body = await GetAsync($"v1/analytics/general?org_id={org}&from=2025-05-01&to=2025-08-01&time_grouping={grouping}&filter.meta.tier=prem*");

        var points = body.GetProperty("series")[0].GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("t").GetDateTime().ToUniversalTime(), p.GetProperty("stats").GetProperty("requests").GetInt32())).ToList();
        (DateTime, int)[] expected = grouping == "week"
            ? [(new(2025, 5, 26, 0, 0, 0, DateTimeKind.Utc), 1), (new(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc), 2), (new(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc), 1)]
            : [(new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), 3), (new(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), 1)];
        Assert.Equal(expected, points);
        Assert.Equal("all", body.GetProperty("series")[0].GetProperty("group").GetString());
    }

    [Fact]
    public async Task Savings_rates_per_model_match_the_events()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);

        var body = await GetAsync($"v1/analytics/savings?org_id={org}&{Range}");

        AssertSavings(events, body.GetProperty("totals"));
        var models = body.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(Models.Length, models.Count);
        foreach (var row in models)
            AssertSavings([.. events.Where(e => ModelOf(e) == row.GetProperty("model").GetString())], row);
        Assert.Equal(models.Select(m => m.GetProperty("saved_usd").GetDecimal()).OrderDescending(), models.Select(m => m.GetProperty("saved_usd").GetDecimal()));
    }

    [Fact]
    public async Task Api_key_usage_is_limited_to_the_key_and_grouped_by_user()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);
        var key = events[0].Caller.ApiKeyId;
        var mine = events.Where(e => e.Caller.ApiKeyId == key).ToList();

        var body = await GetAsync($"v1/analytics/apikey/{key}/usage?org_id={org}&{Range}&period=day&group_by=user");

        Assert.Equal(key, body.GetProperty("api_key_id").GetGuid());
        AssertStats(mine, body.GetProperty("totals"));
        var series = body.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(mine.Select(e => e.Caller.UserId).Distinct().Count(), series.Count);
        foreach (var s in series)
        {
            var user = mine.Where(e => e.Caller.UserId.ToString() == s.GetProperty("group").GetString()).ToList();
            AssertStats(user, s.GetProperty("totals"));
            Assert.Equal(user.GroupBy(e => e.StartedAt.Date).Select(d => d.Count()).Order(),
                s.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("stats").GetProperty("requests").GetInt32()).Order());
        }

        var other = await GetAsync($"v1/analytics/apikey/{key}/usage?org_id={Guid.NewGuid()}&{Range}");
        Assert.Equal(0, other.GetProperty("totals").GetProperty("requests").GetInt32());
    }

    [Theory]
    [InlineData("general?org_id={org}&from=2025-06-01&to=2025-07-01&time_grouping=minute", "time_grouping")]
    [InlineData("general?org_id={org}&from=2020-01-01&to=2025-07-01&time_grouping=hour", "time_grouping")]
    [InlineData("general?org_id={org}&from=2025-06-01&to=2025-07-01&group_by=secret", "group_by")]
    [InlineData("general?org_id={org}&from=2025-06-01&to=2025-07-01&filter.colour=red", "filter.colour")]
    [InlineData("general?org_id={org}&from=2025-06-01&to=2025-07-01&sort=cost", "sort")]
    [InlineData("general?from=2025-06-01&to=2025-07-01", "org_id")]
    [InlineData("savings?org_id={org}&from=2025-07-01&to=2025-06-01", "to")]
    [InlineData("savings?org_id={org}&from=2025-06-01", "to")]
    [InlineData("apikey/not-a-key/usage?org_id={org}&from=2025-06-01&to=2025-07-01", "id")]
    [InlineData("apikey/{org}/usage?org_id={org}&from=2025-06-01&to=2025-07-01&period=year", "period")]
    public async Task Invalid_parameters_are_400_with_the_field(string path, string field)
    {
        using var api = service.CreateApiClient();
        using var response = await api.GetAsync("v1/analytics/" + path.Replace("{org}", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    private async Task<JsonElement> GetAsync(string uri)
    {
        using var api = service.CreateApiClient();
        using var response = await api.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static void AssertStats(List<RequestCompleted> events, JsonElement stats)
    {
        Assert.Equal(events.Count, stats.GetProperty("requests").GetInt32());
        Assert.Equal(events.Sum(e => e.CostUsd), stats.GetProperty("cost_usd").GetDecimal());
        var savings = events.Sum(Savings);
        Assert.Equal(savings, stats.GetProperty("cost_savings_usd").GetDecimal());
        Assert.Equal(Percent(savings, events.Sum(e => e.CostUsd) + savings), stats.GetProperty("cost_savings_percent").GetDecimal());
        Assert.Equal(events.Sum(e => e.Usage.InputTokens), stats.GetProperty("input_tokens").GetInt64());
        Assert.Equal(events.Sum(e => e.Usage.OutputTokens), stats.GetProperty("output_tokens").GetInt64());
        Assert.Equal(events.Sum(e => e.Usage.CacheReadTokens), stats.GetProperty("cached_tokens").GetInt64());
        Assert.Equal(events.Sum(TotalTokens), stats.GetProperty("total_tokens").GetInt64());
        Assert.Equal(Math.Round((decimal)events.Average(e => e.LatencyMs), 3), stats.GetProperty("latency_avg_ms").GetDecimal());
        Assert.Equal(QuantileExact(events.Select(e => (decimal)e.LatencyMs), 0.5), stats.GetProperty("latency_p50_ms").GetDecimal());
        Assert.Equal(QuantileExact(events.Select(e => (decimal)e.LatencyMs), 0.9), stats.GetProperty("latency_p90_ms").GetDecimal());
    }

    private static void AssertSavings(List<RequestCompleted> events, JsonElement stats)
    {
        var hits = events.Count(e => e.Usage.CacheReadTokens > 0);
        var cached = events.Sum(e => e.Usage.CacheReadTokens);
        var prompt = events.Sum(e => e.Usage.InputTokens + e.Usage.CacheReadTokens + e.Usage.CacheWriteTokens);
        var cost = events.Sum(e => e.CostUsd);
        var saved = events.Sum(Savings);
        Assert.Equal(events.Count, stats.GetProperty("requests").GetInt32());
        Assert.Equal(hits, stats.GetProperty("cache_hits").GetInt32());
        Assert.Equal(Percent(hits, events.Count), stats.GetProperty("cache_hit_rate").GetDecimal());
        Assert.Equal(Percent(cached, prompt), stats.GetProperty("token_cache_rate").GetDecimal());
        Assert.Equal(cost, stats.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(cost + saved, stats.GetProperty("cost_without_cache_usd").GetDecimal());
        Assert.Equal(saved, stats.GetProperty("saved_usd").GetDecimal());
        Assert.Equal(Percent(saved, cost + saved), stats.GetProperty("saved_percent").GetDecimal());
    }

    private static decimal Percent(decimal part, decimal whole) => whole == 0 ? 0 : Math.Round(part * 100m / whole, 4);

    private static DateTime Truncate(DateTime t, TimeSpan step) => new(t.Ticks - t.Ticks % step.Ticks, DateTimeKind.Utc);
}

[Collection(AnalyticsServiceCollection.Name)]
public class ToolsApiTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task Tool_stats_of_a_scripted_agent_loop_match_the_events()
    {
        var org = Guid.NewGuid();
        var start = new DateTime(2025, 6, 20, 12, 0, 0, DateTimeKind.Utc);
        ToolCallMade Call(string name, int bytes) => new() { Id = Guid.NewGuid().ToString("N"), Name = name, ArgumentsBytes = bytes };
        List<RequestCompleted> loop =
        [
            Events.Completed(org, startedAt: start, cost: 1m) with { ToolCalls = [Call("search", 10), Call("search", 30)], LatencyMs = 100, Usage = new TokenUsage { OutputTokens = 40 } },
            Events.Completed(org, startedAt: start.AddSeconds(5), cost: 2m) with { ToolCalls = [Call("search", 20), Call("fetch", 7)], LatencyMs = 300, Usage = new TokenUsage { OutputTokens = 60 } },
            Events.Completed(org, startedAt: start.AddSeconds(9), cost: 4m) with { ToolCalls = [Call("fetch", 9)], LatencyMs = 500, Status = "error", Usage = new TokenUsage { OutputTokens = 10 } },
            Events.Completed(org, startedAt: start.AddSeconds(12), cost: 8m) with { ToolCalls = [] },
        ];
        await service.Writer.WriteAsync(loop, CancellationToken.None);
        await service.Writer.WriteAsync(loop.Take(2).ToList(), CancellationToken.None);
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/tools?org_id={org}&from=2025-06-20&to=2025-06-21");

        var tools = body.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("tool_name").GetString()!);
        Assert.Equal(["fetch", "search"], tools.Keys.Order());
        var search = tools["search"];
        Assert.Equal(2, search.GetProperty("requests").GetInt32());
        Assert.Equal(3, search.GetProperty("calls").GetInt32());
        Assert.Equal(3m, search.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(200m, search.GetProperty("latency_avg_ms").GetDecimal());
        Assert.Equal(100m, search.GetProperty("success_rate").GetDecimal());
        Assert.Equal(1.5m, search.GetProperty("avg_calls_per_request").GetDecimal());
        Assert.Equal(Math.Round(100m / 3, 4), search.GetProperty("avg_tokens_per_call").GetDecimal());
        Assert.Equal(20m, search.GetProperty("avg_argument_bytes").GetDecimal());
        var fetch = tools["fetch"];
        Assert.Equal(2, fetch.GetProperty("requests").GetInt32());
        Assert.Equal(6m, fetch.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(50m, fetch.GetProperty("success_rate").GetDecimal());
        Assert.Equal(35m, fetch.GetProperty("avg_tokens_per_call").GetDecimal());
    }
}
