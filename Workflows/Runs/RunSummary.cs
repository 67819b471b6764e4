namespace Supervisor.Workflows.Runs;

/// <summary>A run without its history, for listings.</summary>
/// <param name="Repeats">How many later runs were this same run again; see <see cref="WorkflowRun.RepeatIds"/>.</param>
public sealed record RunSummary(
    string Id,
    string WorkflowId,
    int WorkflowVersion,
    RunStatus Status,
    string Origin,
    string? Reason,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    int Repeats = 0);
