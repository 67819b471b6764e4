using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// The times <c>journalctl --since/--until</c> takes, which balena passes on from <c>POST /v2/journal-logs</c>:
/// <c>YYYY-MM-DD HH:MM[:SS]</c> or <c>YYYY-MM-DD</c> in the device's time zone (an ISO 8601 time with an offset
/// too), <c>@UNIXSECONDS</c>, <c>now</c>, <c>today</c>, <c>yesterday</c>, <c>tomorrow</c>, and a relative
/// <c>-5min</c> / <c>+1h</c> / <c>-2 days</c>.
/// </summary>
public static partial class JournalTime
{
    public const string Forms = "'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD', an ISO 8601 time, '@UNIXSECONDS', 'now', 'today', 'yesterday', 'tomorrow' or a relative time such as '-5min' or '-2h'";

    private static readonly string[] LocalForms = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss.FFFFFF"];

    public static bool TryParse(string text, TimeProvider time, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var zone = time.LocalTimeZone;
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        value = default;
        var trimmed = text.Trim();
        switch (trimmed)
        {
            case "now":
                value = now;
                return true;
            case "today":
                value = AtLocal(today, zone);
                return true;
            case "yesterday":
                value = AtLocal(today.AddDays(-1), zone);
                return true;
            case "tomorrow":
                value = AtLocal(today.AddDays(1), zone);
                return true;
        }

        if (trimmed.StartsWith('@'))
        {
            // From the epoch up to the last second DateTimeOffset holds (9999-12-31).
            if (double.TryParse(trimmed[1..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                && seconds < 253_402_300_799)
            {
                value = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
                return true;
            }

            return false;
        }

        var relative = Relative().Match(trimmed);
        if (relative.Success)
        {
            var amount = long.Parse(relative.Groups["amount"].Value, CultureInfo.InvariantCulture);
            try
            {
                var offset = Unit(relative.Groups["unit"].Value) * amount;
                value = relative.Groups["sign"].Value == "-" ? now - offset : now + offset;
                return true;
            }
            catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
            {
                // Beyond what a date holds (-999999999 weeks): not a time.
                return false;
            }
        }

        if (DateTime.TryParseExact(trimmed, LocalForms, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            value = AtLocal(local, zone);
            return true;
        }

        // An explicit offset or Z: as written, whatever the device's zone.
        if (OffsetGiven().IsMatch(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var absolute))
        {
            value = absolute.ToUniversalTime();
            return true;
        }

        return false;
    }

    private static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    private static TimeSpan Unit(string unit) => unit switch
    {
        "us" or "usec" => TimeSpan.FromMicroseconds(1),
        "ms" or "msec" => TimeSpan.FromMilliseconds(1),
        "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(1),
        "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
        "h" or "hr" or "hour" or "hours" => TimeSpan.FromHours(1),
        "d" or "day" or "days" => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7), // w, week, weeks: the pattern allows nothing else
    };

    [GeneratedRegex(@"\A(?<sign>[+-])(?<amount>[0-9]{1,9}) ?(?<unit>us|usec|ms|msec|s|sec|seconds?|m|min|minutes?|h|hr|hours?|d|days?|w|weeks?)\z")]
    private static partial Regex Relative();

    [GeneratedRegex(@"(Z|[+-][0-9]{2}:?[0-9]{2})\z")]
    private static partial Regex OffsetGiven();
}
