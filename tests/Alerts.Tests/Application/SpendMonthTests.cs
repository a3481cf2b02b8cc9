using Requesty.Alerts.Application;

namespace Requesty.Alerts.Tests.Application;

public sealed class SpendMonthTests
{
    [Fact]
    public void The_last_millisecond_of_a_month_belongs_to_that_month()
    {
        Assert.Equal(new DateOnly(2025, 1, 1), SpendMonth.Of(new DateTime(2025, 1, 31, 23, 59, 59, 999, DateTimeKind.Utc)));
        Assert.Equal(new DateOnly(2025, 2, 1), SpendMonth.Of(new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Local_times_are_converted_to_UTC_before_picking_the_month()
    {
        // 01:00 on March 1st at UTC+2 is 23:00 on February 28th UTC.
        var local = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.FromHours(2)).LocalDateTime;

        Assert.Equal(new DateOnly(2025, 2, 1), SpendMonth.Of(local));
    }

    [Fact]
    public void Unspecified_times_are_taken_as_UTC()
    {
        Assert.Equal(new DateOnly(2024, 12, 1), SpendMonth.Of(new DateTime(2024, 12, 31, 23, 0, 0, DateTimeKind.Unspecified)));
    }

    [Theory]
    [InlineData("2025-01", 2025, 1)]
    [InlineData("1999-12", 0, 0)]
    [InlineData("2025-00", 0, 0)]
    [InlineData("2025-13", 0, 0)]
    [InlineData("2025/01", 0, 0)]
    [InlineData("2025-1", 0, 0)]
    [InlineData("", 0, 0)]
    public void Months_parse_only_as_YYYY_MM(string text, int year, int month)
    {
        var ok = SpendMonth.TryParse(text, out var parsed);

        Assert.Equal(year != 0, ok);
        if (ok) Assert.Equal(new DateOnly(year, month, 1), parsed);
    }
}
