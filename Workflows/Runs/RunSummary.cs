namespace Supervisor.Workflows.Runs;

/// <summary>A run without its history, for listings.</summary>
public sealed record RunSummary(
    string Id,
    string WorkflowId,
    int WorkflowVersion,
    RunStatus Status,
    string Origin,
    string? Reason,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt);
