using Requesty.Analytics.Application.Rollups;

namespace Requesty.Analytics.Tests.Unit;

/// <summary>Which closed days a roll rebuilds the latency tables of.</summary>
public class DaysToBuildTests
{
    private static DateTime At(int day, int hour) => new(2025, 3, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Days_of_dirty_hours_are_rebuilt_once_closed_and_the_open_day_is_not()
    {
        var days = HourlyRollup.DaysToBuild([At(2, 5), At(2, 7), At(4, 1), At(5, 3)], new RollupState(At(5, 4), 0), openHour: At(5, 5));
        Assert.Equal([At(2, 0), At(4, 0)], days);
    }

    [Fact]
    public void Days_that_closed_since_the_previous_roll_are_built_even_without_dirty_hours()
    {
        // The previous roll ran on the 3rd at 22:00; days 3 and 4 have closed since (their last hours may have had no rows).
        var days = HourlyRollup.DaysToBuild([], new RollupState(At(3, 22), 0), openHour: At(5, 1));
        Assert.Equal([At(3, 0), At(4, 0)], days);
        Assert.Empty(HourlyRollup.DaysToBuild([], new RollupState(At(5, 0), 0), openHour: At(5, 1)));
    }
}
