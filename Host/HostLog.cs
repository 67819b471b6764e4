namespace Supervisor.Host;

/// <summary>The host's own log messages, source-generated so that they cost nothing when filtered out.</summary>
internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Supervisor started; container engine at {Endpoint}")]
    public static partial void Started(ILogger logger, Uri endpoint);
}
