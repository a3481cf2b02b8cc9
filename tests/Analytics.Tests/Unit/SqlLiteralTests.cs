using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Tests.Unit;

public class SqlLiteralTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"C:\temp", @"'C:\\temp'")]
    [InlineData(@"\'", @"'\\\''")]
    [InlineData("a\tb\nc\rd", @"'a\tb\nc\rd'")]
    [InlineData("héllo 😀", "'héllo 😀'")]
    [InlineData("'; DROP TABLE requests; --", @"'\'; DROP TABLE requests; --'")]
    public void String_escapes_quotes_backslashes_and_whitespace_controls(string value, string expected) =>
        Assert.Equal(expected, SqlLiteral.String(value));

    [Theory]
    [InlineData("\0")]
    [InlineData("a\u0001b")]
    [InlineData("bell\u0007")]
    [InlineData("esc\u001b[0m")]
    [InlineData("del\u007f")]
    public void String_rejects_other_control_characters(string value) =>
        Assert.Throws<ArgumentException>(() => SqlLiteral.String(value));

    [Fact]
    public void Uuid_renders_canonical_form() =>
        Assert.Equal("toUUID('0f8fad5b-d9cb-469f-a165-70867728950e')", SqlLiteral.Uuid(Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E")));

    [Fact]
    public void DateTime_renders_utc_seconds()
    {
        var value = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        Assert.Equal("toDateTime('2025-01-02 03:04:05', 'UTC')", SqlLiteral.DateTime(value));
    }

    [Fact]
    public void DateTime_converts_local_times_to_utc()
    {
        var utc = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal("2025-06-01 12:00:00", SqlLiteral.FormatDateTime(utc.ToLocalTime()));
    }

    [Theory]
    [InlineData("requests")]
    [InlineData("tool_calls")]
    [InlineData("_x9")]
    public void Identifier_accepts_plain_names(string name) => Assert.Equal(name, SqlLiteral.Identifier(name));

    [Theory]
    [InlineData("")]
    [InlineData("9lives")]
    [InlineData("requests; DROP")]
    [InlineData("a.b")]
    [InlineData("`x`")]
    public void Identifier_rejects_anything_else(string name) =>
        Assert.Throws<ArgumentException>(() => SqlLiteral.Identifier(name));
}
