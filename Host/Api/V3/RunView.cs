using System.Text.Json;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V3;

/// <summary>A run as the API shows it: how it ended and its activity-by-activity history.</summary>
public sealed record RunView(
    string Id,
    string WorkflowId,
    int WorkflowVersion,
    string ContentHash,
    RunStatus Status,
    string Origin,
    string? Reason,
    string? Message,
    JsonElement Input,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    double? DurationMs,
    RunProgress? Progress,
    IReadOnlyList<StepView> Steps)
{
    /// <param name="progress">What the running activity last reported; null once the run has ended.</param>
    public static RunView From(WorkflowRun run, RunProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.WorkflowId, run.WorkflowVersion, run.ContentHash, run.Status, run.Origin, run.Reason, run.Message, run.Input,
            run.CreatedAt, run.EndedAt, run.EndedAt is { } end ? (end - run.CreatedAt).TotalMilliseconds : null,
            run.HasEnded ? null : progress,
            run.Steps.Select(StepView.From).ToList());
    }
}
