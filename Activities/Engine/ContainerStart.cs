namespace Supervisor.Activities.Engine;

/// <summary>A container the engine started, and when.</summary>
public sealed record ContainerStart(string Id, DateTimeOffset At);
