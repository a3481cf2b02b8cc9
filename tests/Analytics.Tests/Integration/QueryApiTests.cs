using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// POST /v1/analytics/query against the synthetic data set; every number is checked against a LINQ
/// computation over the generated events. Percentiles use quantileExact, so they are compared exactly.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class QueryApiTests(AnalyticsServiceFixture service)
{
    private const string From = "2025-06-01T00:00:00Z";
    private const string To = "2025-06-08T00:00:00Z";

    [Fact]
    public async Task Cost_sum_by_model_per_day_matches_the_events()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);

        var series = await QueryAsync(Body(org, "cost", "sum", "model", "day"));

        var expected = events.GroupBy(ModelOf).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(expected.Keys.Order(), series.Keys.Order());
        foreach (var (model, group) in expected)
        {
            Assert.Equal(group.Sum(e => e.CostUsd), series[model].Total);
            var days = group.GroupBy(e => e.StartedAt.Date).OrderBy(d => d.Key).ToList();
            Assert.Equal(days.Select(d => d.Key), series[model].Points.Select(p => p.T));
            Assert.Equal(days.Select(d => (decimal?)d.Sum(e => e.CostUsd)), series[model].Points.Select(p => p.Value));
        }
        // Series come biggest first.
        Assert.Equal(series.Values.Select(s => s.Total).OrderDescending(), series.Values.Select(s => s.Total));
    }

    [Fact]
    public async Task Request_counts_with_list_and_wildcard_filters_grouped_by_a_metadata_key()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);
        var body = Body(org, "requests", "sum", "meta.feature", "hour",
            new() { ["model"] = "openai/*, anthropic/claude-sonnet-4-5", ["meta.feature"] = "chat*" });

        var series = await QueryAsync(body);

        var matching = events
            .Where(e => ModelOf(e).StartsWith("openai/", StringComparison.Ordinal) || ModelOf(e) == "anthropic/claude-sonnet-4-5")
            .Where(e => Meta(e, "feature")?.StartsWith("chat", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal(["chat", "chat-v2"], series.Keys.Order());
        foreach (var group in matching.GroupBy(e => Meta(e, "feature")!))
        {
            Assert.Equal(group.Count(), series[group.Key].Total);
            var hours = group.GroupBy(e => Hour(e.StartedAt)).OrderBy(h => h.Key).ToList();
            Assert.Equal(hours.Select(h => h.Key), series[group.Key].Points.Select(p => p.T));
            Assert.Equal(hours.Select(h => (decimal?)h.Count()), series[group.Key].Points.Select(p => p.Value));
        }
    }

    [Theory]
    [InlineData("median", 0.5)]
    [InlineData("p95", 0.95)]
    [InlineData("p99", 0.99)]
    public async Task Latency_percentiles_by_provider_are_exact(string calculation, double level)
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);

        var latency = await QueryAsync(Body(org, "latency_ms", calculation, "provider", "none"));
        var ttft = await QueryAsync(Body(org, "ttft_ms", calculation, "provider", "none"));

        foreach (var group in events.GroupBy(e => e.ServedProvider ?? ""))
        {
            Assert.Equal(QuantileExact(group.Select(e => (decimal)e.LatencyMs), level), latency[group.Key].Total);
            // Requests without a first token are left out of TTFT statistics, not counted as 0.
            Assert.Equal(QuantileExact(group.Where(e => e.TimeToFirstTokenMs is not null).Select(e => (decimal)e.TimeToFirstTokenMs!.Value), level),
                ttft[group.Key].Total);
            Assert.Empty(latency[group.Key].Points);
        }
    }

    [Fact]
    public async Task Averages_distinct_counts_tags_and_savings()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);

        var avgCost = await QueryAsync(Body(org, "cost", "avg", "api_key", "none"));
        foreach (var group in events.GroupBy(e => e.Caller.ApiKeyId.ToString()))
            Assert.Equal(group.Average(e => e.CostUsd), avgCost[group.Key].Total!.Value, 8);

        var distinct = await QueryAsync(Body(org, "latency_ms", "count_distinct", "user", "none"));
        foreach (var group in events.GroupBy(e => e.Caller.UserId!.Value.ToString()))
            Assert.Equal(group.Select(e => e.LatencyMs).Distinct().Count(), distinct[group.Key].Total);

        var tokensByTag = await QueryAsync(Body(org, "total_tokens", "sum", "tag", "none"));
        foreach (var tag in Tags)
            Assert.Equal(events.Where(e => e.Metadata.Tags.Contains(tag)).Sum(TotalTokens), tokensByTag[tag].Total);
        Assert.Equal(events.Where(e => e.Metadata.Tags.Count == 0).Sum(TotalTokens), tokensByTag[""].Total);

        var savings = await QueryAsync(Body(org, "cost_savings", "sum", null, "day"));
        var all = Assert.Single(savings.Values);
        Assert.Equal("all", all.Group);
        Assert.Equal(events.Sum(Savings), all.Total);
        Assert.Equal(events.GroupBy(e => e.StartedAt.Date).OrderBy(d => d.Key).Select(d => (decimal?)d.Sum(Savings)), all.Points.Select(p => p.Value));

        var cached = await QueryAsync(Body(org, "cached_tokens", "sum", "status", "none", new() { ["tag"] = "alpha,gam*" }));
        foreach (var group in events.Where(e => e.Metadata.Tags.Any(t => t is "alpha" or "gamma")).GroupBy(e => e.Status))
            Assert.Equal(group.Sum(e => e.Usage.CacheReadTokens), cached[group.Key].Total);
    }

    [Fact]
    public async Task Limit_keeps_the_biggest_groups()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);
        var body = Body(org, "input_tokens", "sum", "model", "day");
        body["limit"] = 2;

        var series = await QueryAsync(body);

        var expected = events.GroupBy(ModelOf).Select(g => (g.Key, Total: g.Sum(e => e.Usage.InputTokens))).OrderByDescending(g => g.Total).Take(2);
        Assert.Equal(expected.Select(e => e.Key), series.Keys);
        foreach (var (model, total) in expected)
            Assert.Equal(total, series[model].Points.Sum(p => p.Value));
    }

    [Fact]
    public async Task Csv_export_pivots_dates_into_columns()
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);
        using var api = service.CreateApiClient();
        var body = Body(org, "requests", "sum", "model", "day");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/analytics/query") { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await api.SendAsync(request);
        using var byQuery = await api.PostAsJsonAsync("v1/analytics/query?format=csv", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Equal(csv, await byQuery.Content.ReadAsStringAsync());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("group,total,2025-06-02T00:00:00Z,2025-06-03T00:00:00Z,2025-06-04T00:00:00Z", lines[0]);
        var gpt = lines.Single(l => l.StartsWith("openai/gpt-4o,", StringComparison.Ordinal)).Split(',');
        var mine = events.Where(e => ModelOf(e) == "openai/gpt-4o").ToList();
        Assert.Equal(mine.Count.ToString(CultureInfo.InvariantCulture), gpt[1]);
        Assert.Equal(mine.Count(e => e.StartedAt.Day == 3).ToString(CultureInfo.InvariantCulture), gpt[3]);
        Assert.Equal(Models.Length, lines.Length - 1);
    }

    [Fact]
    public async Task Other_organizations_and_out_of_range_requests_are_not_counted()
    {
        var org = Guid.NewGuid();
        var inside = Events.Completed(org, startedAt: new DateTime(2025, 6, 3, 10, 0, 0, DateTimeKind.Utc), cost: 2m);
        await service.Writer.WriteAsync(
        [
            inside,
            Events.Completed(org, startedAt: new DateTime(2025, 6, 8, 0, 0, 0, DateTimeKind.Utc), cost: 5m),
            Events.Completed(Guid.NewGuid(), startedAt: inside.StartedAt, cost: 7m),
        ], CancellationToken.None);

        var series = await QueryAsync(Body(org, "cost", "sum", null, "none"));

        Assert.Equal(2m, Assert.Single(series.Values).Total);
        Assert.Empty(await QueryAsync(Body(Guid.NewGuid(), "cost", "sum", "model", "day")));
    }

    [Theory]
    [InlineData("metric", """{"metric":"revenue"}""")]
    [InlineData("calculation", """{"calculation":"stddev"}""")]
    [InlineData("calculation", """{"metric":"requests","calculation":"avg"}""")]
    [InlineData("group_by", """{"group_by":"password"}""")]
    [InlineData("group_by", """{"group_by":"meta.a b"}""")]
    [InlineData("time_grouping", """{"time_grouping":"fortnight"}""")]
    [InlineData("time_grouping", """{"time_grouping":"minute","from":"2025-01-01T00:00:00Z","to":"2025-03-01T00:00:00Z"}""")]
    [InlineData("to", """{"from":"2025-06-02T00:00:00Z","to":"2025-06-01T00:00:00Z"}""")]
    [InlineData("from", """{"from":"last tuesday"}""")]
    [InlineData("org_id", """{"org_id":null}""")]
    [InlineData("org_id", """{"org_id":"acme"}""")]
    [InlineData("filters.colour", """{"filters":{"colour":"red"}}""")]
    [InlineData("filters.model", """{"filters":{"model":" , "}}""")]
    [InlineData("filters.model", """{"filters":{"model":42}}""")]
    [InlineData("filters", """{"filters":"model=x"}""")]
    [InlineData("limit", """{"limit":0}""")]
    [InlineData("sql", """{"sql":"SELECT 1"}""")]
    public async Task Invalid_queries_are_400_with_the_offending_field(string field, string overrides)
    {
        var body = Body(Guid.NewGuid(), "cost", "sum", "model", "day");
        foreach (var (name, value) in JsonNode.Parse(overrides)!.AsObject()) body[name] = value?.DeepClone();
        using var api = service.CreateApiClient();

        using var response = await api.PostAsJsonAsync("v1/analytics/query", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error on {field}: {errors}");
    }

    [Fact]
    public async Task Query_requires_the_internal_token()
    {
        using var api = service.CreateApiClient(token: null);
        using var response = await api.PostAsJsonAsync("v1/analytics/query", Body(Guid.NewGuid(), "cost", "sum", null, "none"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    internal static JsonObject Body(Guid org, string metric, string calculation, string? groupBy, string timeGrouping, Dictionary<string, string>? filters = null)
    {
        var body = new JsonObject
        {
            ["org_id"] = org.ToString(),
            ["metric"] = metric,
            ["calculation"] = calculation,
            ["group_by"] = groupBy,
            ["time_grouping"] = timeGrouping,
            ["from"] = From,
            ["to"] = To,
        };
        if (filters is not null) body["filters"] = new JsonObject(filters.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
        return body;
    }

    internal async Task<Dictionary<string, Series>> QueryAsync(JsonObject body)
    {
        using var api = service.CreateApiClient();
        using var response = await api.PostAsJsonAsync("v1/analytics/query", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var series = JsonDocument.Parse(text).RootElement.GetProperty("series").EnumerateArray().Select(s => new Series(
            s.GetProperty("group").GetString()!,
            s.GetProperty("total").ValueKind == JsonValueKind.Null ? null : s.GetProperty("total").GetDecimal(),
            [.. s.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("t").GetDateTime().ToUniversalTime(),
                p.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : p.GetProperty("value").GetDecimal()))]));
        var result = new Dictionary<string, Series>(StringComparer.Ordinal);
        foreach (var s in series) result.Add(s.Group, s);
        return result;
    }

    private static DateTime Hour(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);

    internal sealed record Series(string Group, decimal? Total, List<(DateTime T, decimal? Value)> Raw)
    {
        public IEnumerable<(DateTime T, decimal? Value)> Points => Raw;
    }
}
