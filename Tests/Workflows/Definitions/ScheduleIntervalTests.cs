using Supervisor.Workflows.Definitions;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class ScheduleIntervalTests
{
    [Theory]
    [InlineData("00:00:01", "* * * * * *")]
    [InlineData("00:00:15", "*/15 * * * * *")]
    [InlineData("00:01:00", "* * * * *")]
    [InlineData("00:05:00", "*/5 * * * *")]
    [InlineData("01:00:00", "0 * * * *")]
    [InlineData("06:00:00", "0 */6 * * *")]
    [InlineData("24:00:00", "0 0 * * *")]
    public void Interval_maps_to_the_cron_that_repeats_it(string text, string cron)
    {
        Assert.True(ScheduleInterval.TryParse(text, out var interval));
        Assert.Equal(cron, ScheduleInterval.ToCron(interval));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:45")]
    [InlineData("00:01:30")]
    [InlineData("48:00:00")]
    public void Interval_no_cron_repeats_evenly_has_none(string text)
    {
        Assert.True(ScheduleInterval.TryParse(text, out var interval));
        Assert.Null(ScheduleInterval.ToCron(interval));
    }
}
