namespace Supervisor.Host.Api.Logs;

/// <summary>One line a service printed, named as balena's log stream names it.</summary>
public sealed record ServiceLogLine(string ContainerId, string ServiceName, long? ServiceId, string AppUuid, DateTimeOffset Timestamp, string Message, bool IsStdErr);
