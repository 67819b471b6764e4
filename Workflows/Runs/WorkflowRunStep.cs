using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>One activity of a run, as the journal recorded it.</summary>
/// <param name="Sequence">1 for the first activity of the run, then 2, 3, ...</param>
/// <param name="Attempt">How many times the activity started (more than 1 after a crash).</param>
/// <param name="EndedAt">Null while it runs, or when a crash interrupted it.</param>
/// <param name="Outcome">The outcome it ended with; null when it failed the run, threw, or has not ended.</param>
/// <param name="Error">The exception's message when it threw, or the failure message when it failed the run.</param>
public sealed record WorkflowRunStep(
    int Sequence,
    string ActivityId,
    string ActivityType,
    int Attempt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    JsonElement? Output,
    string? Error);
