using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Metrics;

namespace Requesty.Analytics.Tests.Unit;

public class QueryBuildingTests
{
    [Theory]
    [InlineData("openai/*", "openai/%")]
    [InlineData("50%_off", @"50\%\_off")]
    [InlineData(@"a\b*", @"a\\b%")]
    [InlineData("*x*", "%x%")]
    public void Wildcards_become_like_patterns_with_metacharacters_escaped(string wildcard, string pattern) =>
        Assert.Equal(pattern, LikePattern.FromWildcard(wildcard));

    [Fact]
    public void Filter_condition_escapes_every_value()
    {
        var field = AnalyticsFields.Resolve("provider", out _)!;
        Assert.Equal(@"(served_provider IN ('a\'b', 'c') OR served_provider LIKE 'open%')", field.MatchCondition(["a'b", "open*", "c"]));

        var tag = AnalyticsFields.Resolve("tag", out _)!;
        Assert.Equal("arrayExists(x -> (x IN ('t')), tags)", tag.MatchCondition(["t"]));
        Assert.Equal("arrayJoin(if(empty(tags), [''], tags))", tag.GroupExpression);
    }

    [Fact]
    public void Meta_fields_read_the_parallel_arrays_and_keys_are_validated()
    {
        var meta = AnalyticsFields.Resolve("meta.customer_id", out _)!;
        Assert.Equal("meta_values[indexOf(meta_keys, 'customer_id')]", meta.Expression);

        Assert.Null(AnalyticsFields.Resolve("meta.a'b", out var error));
        Assert.NotNull(error);
        Assert.Null(AnalyticsFields.Resolve("organization_id", out error));
        Assert.Contains("Unknown field", error);
    }

    [Fact]
    public void Filter_values_are_split_trimmed_and_checked()
    {
        var errors = new ValidationErrors();
        var filters = FieldFilter.ParseAll(
            [new("model", " a , b* ,,"), new("region", "eu\u0001"), new("nope", "x"), new("status", "")], errors, "filters");

        var model = Assert.Single(filters);
        Assert.Equal(["a", "b*"], model.Values);
        Assert.Equal(["filters.nope", "filters.region", "filters.status"], errors.ToDictionary().Keys.Order());
    }

    [Theory]
    [InlineData("cost", "sum", "sum(cost_usd)")]
    [InlineData("requests", "sum", "count()")]
    [InlineData("latency_ms", "p95", "quantileExact(0.95)(latency_ms)")]
    [InlineData("cached_tokens", "count_distinct", "uniqExact(cache_read_tokens)")]
    public void Metrics_and_calculations_map_to_fixed_sql(string metric, string calculation, string sql)
    {
        Assert.Equal(sql, MetricCatalog.Aggregate(metric, calculation));
        Assert.False(MetricCatalog.Supports("requests", "avg"));
    }

    [Fact]
    public void Bucket_limits_reject_too_fine_groupings()
    {
        var errors = new ValidationErrors();
        var from = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        TimeGrouping.Hour.CheckBuckets(from, from.AddDays(30), errors, "g");
        Assert.False(errors.Any);
        TimeGrouping.Minute.CheckBuckets(from, from.AddDays(30), errors, "g");
        Assert.True(errors.Has("g"));
    }
}
