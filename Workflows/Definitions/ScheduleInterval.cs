using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// The <c>interval</c> of a schedule, <c>hh:mm:ss</c>. Hangfire schedules by cron, so only periods
/// a cron expression repeats evenly are allowed: whole seconds dividing 60, whole minutes
/// dividing 60, or whole hours dividing 24.
/// </summary>
public static partial class ScheduleInterval
{
    public const string Rule = "an interval must be whole seconds dividing 60 (e.g. 00:00:15), whole minutes dividing 60 (e.g. 00:05:00) or whole hours dividing 24 (e.g. 06:00:00)";

    /// <summary>Reads <c>hh:mm:ss</c>; hours may reach 24 so that a daily interval can be written.</summary>
    public static bool TryParse(string text, out TimeSpan interval)
    {
        interval = default;
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success)
        {
            return false;
        }

        var hours = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var minutes = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        var seconds = int.Parse(match.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
        if (minutes > 59 || seconds > 59)
        {
            return false;
        }

        interval = new TimeSpan(hours, minutes, seconds);
        return true;
    }

    /// <summary>The cron expression that repeats every <paramref name="interval"/>, or null when none does evenly.</summary>
    public static string? ToCron(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return null;
        }

        var seconds = (long)interval.TotalSeconds;
        return seconds switch
        {
            < 60 when 60 % seconds == 0 => Every(seconds) + " * * * * *",
            < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => Every(seconds / 60) + " * * * *",
            <= 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => "0 " + Every(seconds / 3600, "0") + " * * *",
            _ => null,
        };
    }

    // A period of the whole field is once per wrap: "0" for hours (midnight), "*" below.
    private static string Every(long count, string whole = "*") => count switch
    {
        1 => "*",
        24 => whole,
        _ => "*/" + count.ToString(CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^([0-9]{1,2}):([0-9]{2}):([0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
