namespace Supervisor.Host.Logging;

/// <summary>How the console log is written, from <c>Supervisor:Logging:Format</c>.</summary>
public enum LogFormat
{
    /// <summary>One line a message for a person (<see cref="PlainLogFormatter"/>).</summary>
    Plain,

    /// <summary>One JSON object a line for machines: .NET's JSON console formatter, UTC timestamps.</summary>
    Json,
}
