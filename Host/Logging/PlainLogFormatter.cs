using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Supervisor.Host.Logging;

/// <summary>
/// One line a message for a person: <c>2026-12-04T20:31:29.123Z info  Supervisor.Reconciler.Apply.ApplyJob: Apply 8 completed.</c>,
/// the time in UTC first (a device's log read beside others' must say when), then the level, the category and the
/// message; an exception follows on its own lines. No event ids: the source-generated ones are hashes that tell a
/// reader nothing.
/// </summary>
public sealed class PlainLogFormatter(TimeProvider time) : ConsoleFormatter(Name)
{
    public new const string Name = "supervisor";

    /// <summary>The time every line starts with, UTC to the millisecond; the JSON format writes the same.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(time.GetUtcNow().UtcDateTime.ToString(TimestampFormat, System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is { } exception)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        LogLevel.Critical => "crit ",
        _ => "     ",
    };
}
