namespace Supervisor.Workflows.Runs;

/// <summary>The journal entry that a run has ended.</summary>
public sealed record RunEnd(RunStatus Status, string? Reason, string? Message, DateTimeOffset EndedAt);
