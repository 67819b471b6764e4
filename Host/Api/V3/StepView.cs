using System.Text.Json;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V3;

/// <summary>One activity of a run as the API shows it, with its timing.</summary>
public sealed record StepView(
    int Sequence,
    string ActivityId,
    string ActivityType,
    int Attempt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationMs,
    string? Outcome,
    JsonElement? Output,
    string? Error)
{
    public static StepView From(WorkflowRunStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new(step.Sequence, step.ActivityId, step.ActivityType, step.Attempt, step.StartedAt, step.EndedAt,
            step.EndedAt is { } end ? (end - step.StartedAt).TotalMilliseconds : null, step.Outcome, step.Output, step.Error);
    }
}
