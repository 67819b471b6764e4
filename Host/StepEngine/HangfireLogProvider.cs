using HangfireLogging = Hangfire.Logging;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Hangfire logs through one process-wide provider. Hangfire's own ASP.NET Core provider breaks
/// once its host's logger factory is disposed while another host in the process still runs (as
/// tests do); this one writes to the host's loggers and drops messages after that host is gone.
/// </summary>
public sealed class HangfireLogProvider(ILoggerFactory loggers) : HangfireLogging.ILogProvider
{
    public HangfireLogging.ILog GetLogger(string name) => new HostLog(loggers, name);

    private sealed class HostLog(ILoggerFactory loggers, string name) : HangfireLogging.ILog
    {
        public bool Log(HangfireLogging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                logger = loggers.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            var level = logLevel switch
            {
                HangfireLogging.LogLevel.Trace => LogLevel.Trace,
                HangfireLogging.LogLevel.Debug => LogLevel.Debug,
                HangfireLogging.LogLevel.Info => LogLevel.Information,
                HangfireLogging.LogLevel.Warn => LogLevel.Warning,
                HangfireLogging.LogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null || !logger.IsEnabled(level))
            {
                return logger.IsEnabled(level);
            }

#pragma warning disable CA1848, CA2254 // Hangfire hands over finished text: there is no template to generate code for.
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
            return true;
        }
    }
}
