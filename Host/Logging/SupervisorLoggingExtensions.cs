using Microsoft.Extensions.Logging.Console;

namespace Supervisor.Host.Logging;

/// <summary>The console log as <c>Supervisor:Logging:Format</c> asks for it; the only log provider, so that a line is written once.</summary>
public static class SupervisorLoggingExtensions
{
    public const string FormatKey = "Supervisor:Logging:Format";

    /// <summary>The format configured, or why the value cannot be one (to refuse the start with).</summary>
    public static (LogFormat Format, string? Error) ReadFormat(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[FormatKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return (LogFormat.Plain, null);
        }

        return Enum.TryParse<LogFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? (format, null)
            : (LogFormat.Plain, $"{FormatKey} is \"{value}\"; it must be plain or json.");
    }

    public static ILoggingBuilder AddSupervisorConsole(this ILoggingBuilder logging, LogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = PlainLogFormatter.TimestampFormat;
            });
        }
        else
        {
            logging.AddConsole(console => console.FormatterName = PlainLogFormatter.Name);
            logging.AddConsoleFormatter<PlainLogFormatter, ConsoleFormatterOptions>();
        }

        return logging;
    }
}
