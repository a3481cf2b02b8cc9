using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Analytics.Tests.Support;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// Hostile input in every filter and group-by field: values are inert (they only ever match literally),
/// field names outside the whitelist are rejected, and the stored data survives.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class QueryInjectionTests(AnalyticsServiceFixture service)
{
    public static readonly string[] FilterFields =
    [
        "model", "requested_model", "provider", "user", "end_user", "api_key", "project", "service_account", "policy",
        "region", "status", "error_kind", "endpoint", "key_source", "stream", "trace_id", "tag", "meta.feature",
    ];

    public static readonly string[] Payloads =
    [
        "' OR 1=1 --", "x') OR ('1'='1", @"\' OR 1=1 --", @"\\' OR 1=1 --", "*' OR '1'='1", "%", "_",
        "'; DROP TABLE requests; --", "x' UNION ALL SELECT * FROM system.users --", "\\", "''",
    ];

    public static TheoryData<string> Fields() => [.. FilterFields];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Injection_payloads_in_filter_values_match_nothing(string field)
    {
        var (org, events) = await SyntheticDataset.EnsureAsync(service);
        var test = new QueryApiTests(service);
        foreach (var payload in Payloads)
        {
            var body = QueryApiTests.Body(org, "requests", "sum", field, "none", new() { [field] = payload });
            Assert.Empty(await test.QueryAsync(body));
        }
        // Still there, still whole.
        var all = await test.QueryAsync(QueryApiTests.Body(org, "requests", "sum", null, "none"));
        Assert.Equal(events.Count, all["all"].Total);
    }

    [Theory]
    [InlineData("model; DROP TABLE requests")]
    [InlineData("model)")]
    [InlineData("toString(organization_id)")]
    [InlineData("meta.x') OR 1=1 --")]
    [InlineData("meta.")]
    [InlineData("tag UNION SELECT 1")]
    [InlineData("Model")]
    public async Task Unknown_or_hostile_group_by_and_filter_fields_are_rejected(string field)
    {
        using var api = service.CreateApiClient();
        var grouped = QueryApiTests.Body(Guid.NewGuid(), "requests", "sum", field, "none");
        var filtered = QueryApiTests.Body(Guid.NewGuid(), "requests", "sum", null, "none", new() { [field] = "x" });

        using var byGroup = await api.PostAsJsonAsync("v1/analytics/query", grouped);
        using var byFilter = await api.PostAsJsonAsync("v1/analytics/query", filtered);

        Assert.Equal(HttpStatusCode.BadRequest, byGroup.StatusCode);
        Assert.True((await byGroup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("group_by", out _));
        Assert.Equal(HttpStatusCode.BadRequest, byFilter.StatusCode);
        Assert.True((await byFilter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty($"filters.{field}", out _));
    }

    [Fact]
    public async Task Quotes_backslashes_and_like_metacharacters_in_values_match_literally()
    {
        var org = Guid.NewGuid();
        string[] features = ["50%_off", "50XXoff", "50%Xoff", "it's", @"back\slash", "plain"];
        await service.Writer.WriteAsync(
            [.. features.Select(f => Events.Completed(org, startedAt: new DateTime(2025, 6, 3, 0, 0, 0, DateTimeKind.Utc)) is var e
                ? e with { Metadata = e.Metadata with { Extra = new Dictionary<string, string> { ["feature"] = f } } } : e)],
            CancellationToken.None);
        var test = new QueryApiTests(service);

        async Task<string[]> Matching(string filter)
        {
            var body = QueryApiTests.Body(org, "requests", "sum", "meta.feature", "none", new() { ["meta.feature"] = filter });
            return [.. (await test.QueryAsync(body)).Keys.Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["50%_off"], await Matching("50%_off"));
        Assert.Equal(["50%_off"], await Matching("50%_*"));
        Assert.Equal(["50%Xoff", "50%_off"], await Matching("*%*"));
        Assert.Equal(["it's"], await Matching("it's"));
        Assert.Equal(["it's"], await Matching("it'*"));
        Assert.Equal([@"back\slash"], await Matching(@"back\slash"));
        Assert.Equal([@"back\slash"], await Matching(@"back\*"));
        Assert.Equal(features.Order(StringComparer.Ordinal), await Matching("*"));
        Assert.Equal(["it's", "plain"], await Matching("plain,it's"));
    }
}
