using System.Globalization;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// A syntactic check of a cron expression: five fields, or six with seconds first (as Hangfire's
/// Cronos reads them). The program has no cron parser of its own at load time, and an operator
/// should hear about a typo when the file loads rather than when Hangfire schedules it.
/// </summary>
internal static class CronSyntax
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly CronField Second = new("second", 0, 59, null, false);
    private static readonly CronField Minute = new("minute", 0, 59, null, false);
    private static readonly CronField Hour = new("hour", 0, 23, null, false);
    private static readonly CronField DayOfMonth = new("day-of-month", 1, 31, null, true);
    private static readonly CronField Month = new("month", 1, 12, MonthNames, false);
    private static readonly CronField DayOfWeek = new("day-of-week", 0, 7, DayNames, true);

    /// <summary>Null when <paramref name="cron"/> reads well; otherwise why not.</summary>
    public static string? Check(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        CronField[] kinds = fields.Length switch
        {
            5 => [Minute, Hour, DayOfMonth, Month, DayOfWeek],
            6 => [Second, Minute, Hour, DayOfMonth, Month, DayOfWeek],
            _ => [],
        };
        if (kinds.Length == 0)
        {
            return $"cron '{cron}' has {fields.Length} fields; it needs 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)";
        }

        for (var i = 0; i < fields.Length; i++)
        {
            var problem = kinds[i].Check(fields[i]);
            if (problem is not null)
            {
                return $"cron '{cron}': {kinds[i].Name} field '{fields[i]}': {problem}";
            }
        }

        return null;
    }

    private sealed record CronField(string Name, int Min, int Max, string[]? Names, bool AllowsQuestionMark)
    {
        public string? Check(string field)
        {
            foreach (var item in field.Split(','))
            {
                var problem = CheckItem(item);
                if (problem is not null)
                {
                    return problem;
                }
            }

            return null;
        }

        private string? CheckItem(string item)
        {
            if (item.Length == 0)
            {
                return "a list has an empty item";
            }

            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            if (slash >= 0 && !(int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step >= 1))
            {
                return $"the step after '/' in '{item}' must be a whole number from 1";
            }

            if (range == "*" || (range == "?" && AllowsQuestionMark && slash < 0))
            {
                return null;
            }

            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                return Value(range, out _);
            }

            var problem = Value(range[..dash], out var from);
            if (problem is not null)
            {
                return problem;
            }

            problem = Value(range[(dash + 1)..], out var to);
            if (problem is not null)
            {
                return problem;
            }

            return from <= to ? null : $"the range '{range}' runs backwards";
        }

        private string? Value(string text, out int value)
        {
            var index = Names is null ? -1 : Array.FindIndex(Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + Min;
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= Min && value <= Max)
            {
                return null;
            }

            var names = Names is null ? string.Empty : $" or a name ({string.Join(", ", Names)})";
            return $"'{text}' is not a value from {Min} to {Max}{names}";
        }
    }
}
