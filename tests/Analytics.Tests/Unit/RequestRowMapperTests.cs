using System.Text.Json;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Tests.Support;

namespace Requesty.Analytics.Tests.Unit;

public class RequestRowMapperTests
{
    private static readonly Guid Org = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Theory]
    [InlineData("0.0012345", "0.0012345")]
    [InlineData("0.0000000014", "0.000000001")]
    [InlineData("0.0000000015", "0.000000002")]
    [InlineData("-0.0000000015", "-0.000000002")]
    [InlineData("1.23456789012345", "1.234567890")]
    [InlineData("123456789.1234567891", "123456789.123456789")]
    [InlineData("5000000000", "999999999.999999999")]
    public void Money_is_rounded_to_nine_decimals_and_kept_in_range(string input, string expected) =>
        Assert.Equal(decimal.Parse(expected), RequestRowMapper.Money(decimal.Parse(input)));

    [Fact]
    public void Money_never_has_more_than_nine_decimal_places() =>
        Assert.True(RequestRowMapper.Money(1m / 3m).Scale <= 9);

    [Fact]
    public void DateTimes_are_utc_without_fractions()
    {
        Assert.Equal("2025-03-14 15:09:26", RequestRowMapper.DateTimeText(new DateTime(2025, 3, 14, 15, 9, 26, 999, DateTimeKind.Utc)));
        Assert.Equal("2025-03-14 15:09:26", RequestRowMapper.DateTimeText(new DateTime(2025, 3, 14, 15, 9, 26, DateTimeKind.Unspecified)));
        Assert.Equal("1970-01-01 00:00:00", RequestRowMapper.DateTimeText(default));
        Assert.Equal("2105-12-31 23:59:59", RequestRowMapper.DateTimeText(DateTime.MaxValue));
    }

    [Fact]
    public void Maps_every_field_of_the_event()
    {
        var e = Events.Completed(Org);
        var row = RequestRowMapper.ToRequestRow(e, version: 42);

        Assert.Equal(e.RequestId, row.RequestId);
        Assert.Equal(Org, row.OrganizationId);
        Assert.Equal(e.Caller.ApiKeyId, row.ApiKeyId);
        Assert.Equal(e.Caller.UserId, row.UserId);
        Assert.Equal(Guid.Empty, row.ServiceAccountId);
        Assert.Equal(Guid.Empty, row.ProjectId);
        Assert.Equal(e.Caller.GroupIds, row.GroupIds);
        Assert.Equal("chat.completions", row.Endpoint);
        Assert.Equal("anthropic/claude-sonnet-4-5", row.ServedModel);
        Assert.Equal("byok", row.KeySource);
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal(1, row.Stream);
        Assert.Equal(120UL, row.InputTokens);
        Assert.Equal(1000UL, row.CacheReadTokens);
        Assert.Equal(0.0012345m, row.CostUsd);
        Assert.Equal(0.0037035m, row.CostWithoutCacheUsd);
        Assert.Equal(180U, row.TtftMs);
        Assert.Equal("2025-03-14 15:09:26", row.StartedAt);
        Assert.Equal("2025-03-14 15:09:26", row.CompletedAt);
        Assert.Equal(["workflow-a", "product-page"], row.Tags);
        Assert.Equal("user_1234", row.EndUserId);
        Assert.Equal("session_abc123", row.TraceId);
        Assert.Equal("aa11", row.SessionPrefixHash);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(["openai", "anthropic"], row.AttemptProviders);
        Assert.Equal([(ushort)429, (ushort)200], row.AttemptHttpStatuses);
        Assert.Equal(["rate_limit", ""], row.AttemptErrorKinds);
        Assert.Equal(["get_weather", "web_search"], row.ToolsOffered);
        Assert.Equal(1U, row.ToolCallCount);
        Assert.Equal(["pii"], row.GuardrailNames);
        Assert.Equal([2U], row.GuardrailCounts);
        Assert.Equal(42UL, row.Version);
    }

    [Fact]
    public void Metadata_extra_becomes_parallel_arrays_sorted_by_key()
    {
        var e = Events.Completed(Org) with
        {
            Metadata = new() { Extra = new Dictionary<string, string> { ["tier"] = "premium", ["country"] = "canada", ["b"] = "{\"x\":1}" } },
        };
        var row = RequestRowMapper.ToRequestRow(e, 1);
        Assert.Equal(["b", "country", "tier"], row.MetaKeys);
        Assert.Equal(["{\"x\":1}", "canada", "premium"], row.MetaValues);
    }

    [Fact]
    public void Missing_and_negative_values_become_column_defaults()
    {
        var e = Events.Completed(Org) with
        {
            ServedModel = null,
            ServedProvider = null,
            TimeToFirstTokenMs = null,
            LatencyMs = -5,
            HttpStatus = 70_000,
            Usage = new() { InputTokens = -1 },
            Attempts = [],
            ErrorMessage = new string('x', 5_000),
        };
        var row = RequestRowMapper.ToRequestRow(e, 1);
        Assert.Equal("", row.ServedModel);
        Assert.Null(row.TtftMs);
        Assert.Equal(0U, row.LatencyMs);
        Assert.Equal(ushort.MaxValue, row.HttpStatus);
        Assert.Equal(0UL, row.InputTokens);
        Assert.Equal("", row.KeySource);
        Assert.Equal(RequestRowMapper.MaxErrorMessageLength, row.ErrorMessage.Length);
    }

    [Fact]
    public void Tool_calls_get_one_row_each_with_their_position()
    {
        var e = Events.Completed(Org) with
        {
            ToolCalls = [new() { Id = "a", Name = "read_file", ArgumentsBytes = 10 }, new() { Name = "web_search", ArgumentsBytes = -1 }],
        };
        var rows = RequestRowMapper.ToToolCallRows(e, 7).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((ushort)0, rows[0].CallIndex);
        Assert.Equal("a", rows[0].CallId);
        Assert.Equal("read_file", rows[0].ToolName);
        Assert.Equal((ushort)1, rows[1].CallIndex);
        Assert.Equal("", rows[1].CallId);
        Assert.Equal(0U, rows[1].ArgumentsBytes);
        Assert.All(rows, r => Assert.Equal(e.RequestId, r.RequestId));
        Assert.All(rows, r => Assert.Equal("2025-03-14 15:09:26", r.StartedAt));
    }

    [Fact]
    public void Rows_serialize_as_snake_case_json_with_numeric_decimals()
    {
        var row = RequestRowMapper.ToRequestRow(Events.Completed(Org, cost: 0.1000000004m), 1);
        var json = JsonSerializer.Serialize(row, AnalyticsRowsJson.RequestRow);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("cost_usd").ValueKind);
        Assert.Equal("0.100000000", root.GetProperty("cost_usd").GetRawText());
        Assert.Equal("2025-03-14 15:09:26", root.GetProperty("started_at").GetString());
        Assert.Equal(Org.ToString(), root.GetProperty("organization_id").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("meta_keys").ValueKind);
        Assert.Equal(180, root.GetProperty("ttft_ms").GetInt32());
        Assert.Contains("\"end_user_id\":\"user_1234\"", json);
    }
}

public class RequestRowSerializationTests
{
    [Fact]
    public void Broken_utf16_does_not_break_serialization()
    {
        var row = RequestRowMapper.ToRequestRow(Events.Completed(Guid.NewGuid()) with { ErrorMessage = "half \ud83d pair" }, 1);
        var json = JsonSerializer.Serialize(row, AnalyticsRowsJson.RequestRow);
        Assert.Contains("\"error_message\":\"half ", json);
    }
}
