using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>A run with its history, as the journal holds it.</summary>
/// <param name="Origin">What started it: <c>api</c>, <c>http</c>, <c>schedule</c>, <c>background</c>.</param>
/// <param name="Reason">For Failed, the reason the failing activity gave (e.g. <c>Locked</c>); for Faulted, <c>Fault</c>.</param>
public sealed record WorkflowRun(
    string Id,
    string WorkflowId,
    int WorkflowVersion,
    string ContentHash,
    RunStatus Status,
    string Origin,
    JsonElement Input,
    string? Reason,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<WorkflowRunStep> Steps)
{
    public bool HasEnded => Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Faulted;
}
