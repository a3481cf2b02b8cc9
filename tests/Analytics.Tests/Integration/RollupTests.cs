using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Usage;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// The usage views read closed hours from requests_hourly and the rest raw; they must give exactly the numbers the
/// raw rows give, with duplicates, partial edge hours, and rows that arrive for an hour after it was rolled.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class RollupTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime From = new(2025, 5, 5, 7, 30, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2025, 5, 7, 16, 45, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Rollup_plus_raw_remainder_gives_the_same_numbers_as_raw_rows()
    {
        var org = Guid.NewGuid();
        var events = Generate(org, 2_000, seed: 5).Select((e, i) => e with { StartedAt = From.AddMinutes(-40).AddSeconds(i * 107 % 220_000) }).ToList();
        await SettledRequests.WriteAndRollAsync(service, [.. events, .. events.Take(400)]);
        var rollup = service.Host.Services.GetRequiredService<HourlyRollup>();

        var rolled = await service.ClickHouse.QueryAsync(
            $"SELECT sum(requests) AS count FROM requests_hourly FINAL WHERE organization_id = {SqlLiteral.Uuid(org)}",
            TestJsonContext.Default.CountResult, CancellationToken.None);
        Assert.Equal((ulong)events.Count, rolled.Single().Count);
        // The whole day inside the range answers latency percentiles from the daily tables.
        Assert.Equal([new DateTime(2025, 5, 6, 0, 0, 0, DateTimeKind.Utc)], await new DailyLatency(service.ClickHouse).ValidDaysAsync(
            new RequestScope(org, From, To, []), service.Host.Services.GetRequiredService<RollupReader>(), CancellationToken.None));
        await AssertSameAsRawAsync(org, events);

        // Late rows for hours that are already rolled (and a redelivery): dirty, so read raw until a roll's watermark passes them.
        // (Half of them in 2025-05-06, a whole day of the range whose latency tables were built.)
        var late = Generate(org, 300, seed: 6).Select((e, i) => e with { StartedAt = (i % 2 == 0 ? From.AddHours(3) : From.AddHours(28)).AddSeconds(i * 31) }).ToList();
        await service.Writer.WriteAsync([.. late, .. events.Take(50)], CancellationToken.None);
        await AssertSameAsRawAsync(org, [.. events, .. late]);
        await rollup.RunOnceAsync(CancellationToken.None);
        await AssertSameAsRawAsync(org, [.. events, .. late]);
    }

    private async Task AssertSameAsRawAsync(Guid org, List<RequestCompleted> events)
    {
        var withRollup = service.Host.Services.GetRequiredService<UsageQueries>();
        Assert.NotNull(await service.Host.Services.GetRequiredService<RollupReader>().SplitAsync(new RequestScope(org, From, To, []), CancellationToken.None));
        var raw = new UsageQueries(service.ClickHouse, new RollupReader(service.ClickHouse, service.Host.Services.GetRequiredService<HourlyRollup>(),
            Options.Create(new RollupOptions { UseForQueries = false })), new DailyLatency(service.ClickHouse));
        var member = events[0].Caller.UserId!.Value;
        var scopes = new[]
        {
            new RequestScope(org, From, To, []),
            new RequestScope(org, From.AddMinutes(30), To.AddHours(-2), []),
            new RequestScope(org, From, To, []) { Access = RowAccess.OfUser(member) },
        };
        string?[] groups = [null, "model", "user", "api_key"];
        TimeGrouping[] groupings = [TimeGrouping.None, TimeGrouping.Hour, TimeGrouping.Day, TimeGrouping.Week];
        foreach (var scope in scopes)
        {
            // First on a fresh instance: the default view speculates that no hour is dirty and must notice when one is.
            var fresh = service.Host.Services.GetRequiredService<UsageQueries>();
            Assert.Equal(JsonSerializer.Serialize(await raw.GetUsageAsync(scope, null, TimeGrouping.Day, withModels: true, CancellationToken.None)),
                JsonSerializer.Serialize(await fresh.GetUsageAsync(scope, null, TimeGrouping.Day, withModels: true, CancellationToken.None)));
            foreach (var group in groups)
            {
                var field = group is null ? null : AnalyticsFields.Resolve(group, out _);
                foreach (var grouping in groupings)
                {
                    var expected = await raw.GetUsageAsync(scope, field, grouping, withModels: true, CancellationToken.None);
                    var actual = await withRollup.GetUsageAsync(scope, field, grouping, withModels: true, CancellationToken.None);
                    Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
                }
            }
            await AssertOneQueryViewMatchesSeparateAggregatesAsync(withRollup, scope);
            Assert.Equal(JsonSerializer.Serialize(await raw.GetSavingsAsync(scope, CancellationToken.None)),
                JsonSerializer.Serialize(await withRollup.GetSavingsAsync(scope, CancellationToken.None)));
        }

        var inRange = events.Where(e => e.StartedAt >= From && e.StartedAt < To).ToList();
        var totals = (await withRollup.GetUsageAsync(scopes[0], null, TimeGrouping.None, withModels: false, CancellationToken.None)).Totals;
        Assert.Equal((ulong)inRange.Count, totals.Requests);
        Assert.Equal(inRange.Sum(e => e.CostUsd), totals.CostUsd);
        Assert.Equal((uint)QuantileExact(inRange.Select(e => (decimal)e.LatencyMs), 0.9), totals.LatencyP90Ms);
    }

    /// <summary>
    /// The default view (no group_by, with models) adds one (model, bucket) aggregate up; it must equal the separate
    /// aggregates: totals and points as without the model table, each model as its own group_by=model series.
    /// </summary>
    private static async Task AssertOneQueryViewMatchesSeparateAggregatesAsync(UsageQueries queries, RequestScope scope)
    {
        var model = AnalyticsFields.Resolve("model", out _);
        var perModel = await queries.GetUsageAsync(scope, model, TimeGrouping.None, withModels: false, CancellationToken.None);
        foreach (var grouping in new[] { TimeGrouping.Hour, TimeGrouping.Day, TimeGrouping.Week })
        {
            var combined = await queries.GetUsageAsync(scope, null, grouping, withModels: true, CancellationToken.None);
            var separate = await queries.GetUsageAsync(scope, null, grouping, withModels: false, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(separate.Totals), JsonSerializer.Serialize(combined.Totals));
            Assert.Equal(JsonSerializer.Serialize(separate.Series), JsonSerializer.Serialize(combined.Series));
            if (grouping != TimeGrouping.Week) Assert.True(combined.Series.Single().Points.Count > 1, "the scope should span several buckets");
            Assert.Equal(
                perModel.Series.Select(s => (s.Group, s.Totals.Requests, s.Totals.TotalTokens, s.Totals.CostUsd, s.Totals.LatencyAvgMs)).OrderBy(m => m.Group, StringComparer.Ordinal),
                combined.Models!.Select(m => (m.Model, m.Requests, m.Tokens, m.CostUsd, m.LatencyAvgMs)).OrderBy(m => m.Model, StringComparer.Ordinal));
        }
    }
}
