namespace Supervisor.Workflows.Runs;

/// <summary>The journal entry that an activity is starting.</summary>
public sealed record StepStart(int Sequence, string ActivityId, string ActivityType, DateTimeOffset StartedAt);
