using Cronos;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Checks a schedule's cron the way Hangfire will read it when it registers the schedule: with
/// Cronos, five fields, six with seconds first, or a macro such as <c>@daily</c>; <c>L</c>,
/// <c>W</c>, <c>#</c> and <c>?</c> included. An operator hears about a typo when the file loads,
/// not when Hangfire refuses it later, and nothing Hangfire would run is refused.
/// </summary>
internal static class CronSyntax
{
    /// <summary>Cronos puts this before every reason; the location already says it is the cron.</summary>
    private const string CronosPreamble = "The given cron expression has an invalid format.";

    /// <summary>Null when <paramref name="cron"/> reads well; otherwise why not.</summary>
    public static string? Check(string cron)
    {
        // Hangfire takes six fields as seconds first and anything else as the standard form; it
        // refuses other counts itself, with a message less clear than this one.
        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var isMacro = fields.Length == 1 && fields[0].StartsWith('@');
        if (fields.Length is not (5 or 6) && !isMacro)
        {
            return $"cron '{cron}' has {fields.Length} fields; it needs 5 (minute hour day-of-month month day-of-week), 6 (seconds first) or a macro such as @daily";
        }

        try
        {
            CronExpression.Parse(cron, fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return null;
        }
        catch (CronFormatException e)
        {
            var reason = e.Message.StartsWith(CronosPreamble, StringComparison.Ordinal) ? e.Message[CronosPreamble.Length..].Trim() : e.Message;
            return $"cron '{cron}': {reason}";
        }
    }
}
