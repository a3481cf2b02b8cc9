using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Metrics;
using Requesty.Analytics.Application.Rollups;
using Requesty.Contracts.Events;
using Requesty.Analytics.Tests.Support;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// POST /v1/analytics/query reads closed clean hours from requests_hourly when the combination allows it; the answers
/// must be identical to the raw path's, over closed, dirty (late rows after a roll, redeliveries) and open hours.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class QueryRollupTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime From = new(2025, 7, 7, 5, 20, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2025, 7, 9, 13, 40, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Rollup_answers_equal_raw_answers_over_closed_dirty_and_open_hours()
    {
        var org = Guid.NewGuid();
        var now = DateTime.UtcNow;
        // Two days around a fixed range (partial edge hours) plus the last three hours up to now (the open hour).
        var events = Generate(org, 1_500, seed: 11).Select((e, i) => e with { StartedAt = From.AddMinutes(-50).AddSeconds(i * 131 % 205_000) })
            .Concat(Generate(org, 300, seed: 12).Select((e, i) => e with { StartedAt = now.AddHours(-3).AddSeconds(i * 35) }))
            .ToList();
        await SettledRequests.WriteAndRollAsync(service, [.. events, .. events.Take(200)]);
        var rollup = service.Host.Services.GetRequiredService<HourlyRollup>();
        var split = await service.Host.Services.GetRequiredService<RollupReader>().SplitAsync(new RequestScope(org, From, To, []), CancellationToken.None);
        Assert.Empty(split!.Dirty);
        await AssertSameAsRawAsync(org, events, now);

        // Late rows and redeliveries for rolled hours make them dirty (read raw) until a roll's watermark passes them.
        var late = Generate(org, 120, seed: 13).Select((e, i) => e with { StartedAt = From.AddHours(5).AddSeconds(i * 29) }).ToList();
        await service.Writer.WriteAsync([.. late, .. events.Skip(100).Take(60)], CancellationToken.None);
        await AssertSameAsRawAsync(org, [.. events, .. late], now);
        await rollup.RunOnceAsync(CancellationToken.None);
        await AssertSameAsRawAsync(org, [.. events, .. late], now);
    }

    [Theory]
    [InlineData("cost", "sum", true)]
    [InlineData("requests", "sum", true)]
    [InlineData("total_tokens", "avg", true)]
    [InlineData("latency_ms", "median", true)]
    [InlineData("latency_ms", "p95", false)]
    [InlineData("ttft_ms", "sum", false)]
    [InlineData("input_tokens", "count_distinct", false)]
    public void Only_combinations_the_rollup_answers_exactly_use_it(string metric, string calculation, bool fromRollup) =>
        Assert.Equal(fromRollup, RollupMetric.For(metric, calculation) is not null);

    private async Task AssertSameAsRawAsync(Guid org, List<RequestCompleted> events, DateTime now)
    {
        var rollup = service.Host.Services.GetRequiredService<HourlyRollup>();
        var raw = new MetricQueryRunner(service.ClickHouse, new RollupReader(service.ClickHouse, rollup, Options.Create(new RollupOptions { UseForQueries = false })));
        RollupReader NewReader() => new(service.ClickHouse, rollup, Options.Create(new RollupOptions()));

        var member = events[0].Caller.UserId!.Value;
        var filters = FieldFilter.ParseAll(
            [new("model", "openai/*,google/gemini-2.5-pro"), new("api_key", string.Join(",", events.Take(40).Select(e => e.Caller.ApiKeyId)))],
            new ValidationErrors(), "filters");
        var scopes = new[]
        {
            new RequestScope(org, From, To, []),
            new RequestScope(org, From.AddHours(-2), now.AddHours(1), []),
            new RequestScope(org, From, To, filters),
            new RequestScope(org, From, now.AddHours(1), []) { Access = RowAccess.OfUser(member) },
        };
        foreach (var scope in scopes)
            Assert.NotNull(await NewReader().SplitAsync(scope, CancellationToken.None));

        var metrics = new[] { "cost", "requests", "input_tokens", "output_tokens", "cached_tokens", "total_tokens", "latency_ms", "ttft_ms", "cost_savings" };
        var queries = new List<MetricQuery>();
        foreach (var scope in scopes)
        {
            foreach (var metric in metrics)
            {
                foreach (var calculation in metric == "requests" ? new[] { "sum" } : new[] { "sum", "avg", "median" })
                    queries.Add(new MetricQuery(scope, metric, calculation, AnalyticsFields.Resolve("model", out _), TimeGrouping.Day, 50));
            }
            foreach (var group in new[] { null, "user", "api_key", "provider" })
            {
                // Minute buckets are raw either way: once is enough.
                foreach (var grouping in group is null ? new[] { TimeGrouping.None, TimeGrouping.Hour, TimeGrouping.Minute } : [TimeGrouping.None, TimeGrouping.Hour])
                {
                    var field = group is null ? null : AnalyticsFields.Resolve(group, out _);
                    queries.Add(new MetricQuery(scope, "cost", "sum", field, grouping, 3));
                    queries.Add(new MetricQuery(scope, "latency_ms", "median", field, grouping, 50));
                }
            }
        }

        foreach (var query in queries)
        {
            var expected = await raw.RunAsync(query, CancellationToken.None);
            var actual = await new MetricQueryRunner(service.ClickHouse, NewReader()).RunAsync(query, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        }

        // And the rollup path is right, not just equal: the whole range's cost against the events themselves.
        var totals = await new MetricQueryRunner(service.ClickHouse, NewReader())
            .RunAsync(new MetricQuery(scopes[0], "cost", "sum", null, TimeGrouping.None, 50), CancellationToken.None);
        Assert.Equal(events.DistinctBy(e => e.RequestId).Where(e => e.StartedAt >= From && e.StartedAt < To).Sum(e => e.CostUsd), totals.Series.Single().Total);
    }
}
