using System.Globalization;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Jobs;

/// <summary>Turns a schedule trigger into the cron expression Hangfire's recurring jobs take.</summary>
public static class ScheduleCron
{
    /// <summary>
    /// A cron as written, or an interval as the cron that fires at that interval: whole seconds
    /// that divide a minute (six-field cron), whole minutes that divide an hour, or whole hours
    /// that divide a day. The loader has already refused any other interval.
    /// </summary>
    public static string From(ScheduleTrigger schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Cron is { } cron)
        {
            return cron;
        }

        var interval = schedule.Interval ?? throw new ArgumentException("A schedule has neither cron nor interval.", nameof(schedule));
        var text = CultureInfo.InvariantCulture;
        if (interval < TimeSpan.FromMinutes(1))
        {
            return string.Create(text, $"*/{(int)interval.TotalSeconds} * * * * *");
        }

        if (interval < TimeSpan.FromHours(1))
        {
            return string.Create(text, $"0 */{(int)interval.TotalMinutes} * * * *");
        }

        return string.Create(text, $"0 0 */{(int)interval.TotalHours} * * *");
    }
}
