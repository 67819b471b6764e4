namespace Supervisor.Activities.Engine;

/// <summary>One line a container printed: when the engine received it, the text without its line end, and its stream.</summary>
public sealed record ContainerLogLine(DateTimeOffset Timestamp, string Message, bool IsStdErr);
