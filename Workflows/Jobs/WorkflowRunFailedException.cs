using Supervisor.Workflows.Runs;

namespace Supervisor.Workflows.Jobs;

/// <summary>
/// Thrown by a job whose run did not complete, so that Hangfire ends the job (as Deleted, see
/// <see cref="WorkflowJob"/>) and the runs sequenced after it never start.
/// </summary>
public sealed class WorkflowRunFailedException(WorkflowRun run)
    : Exception($"Run {run.Id} of {run.WorkflowId} ended {run.Status}{(run.Reason is null ? string.Empty : $" ({run.Reason})")}: {run.Message}")
{
    public string RunId { get; } = run.Id;
}
