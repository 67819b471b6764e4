using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Workflows.Jobs;

/// <summary>
/// The Hangfire jobs of the step engine: one job per run, never one per activity. Arguments are
/// plain values (ids, JSON text) so that a job survives a restart and a definition edit. Jobs
/// are never retried by Hangfire (the reconciler decides what to try again): a run that did not
/// complete ends its job as Deleted, with the reason in the job's history. Deleted, not Failed:
/// only a final state releases the runs sequenced after it, which are then dropped, never
/// started; Failed would leave them awaiting forever and pile up on the device. The run itself
/// stays in the journal as Failed or Faulted, with its message.
/// </summary>
public sealed class WorkflowJob(WorkflowRunner runner, WorkflowJournal journal, IWorkflowCatalog workflows, PerformingJobs performing)
{
    /// <summary>Starts a run of the active definition, or resumes the one this job started before a crash.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task StartAsync(string workflowId, string input, string origin, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobId = context.BackgroundJob.Id;
        using var executing = performing.Enter(jobId);
        var runId = await journal.FindRunByJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (runId is null)
        {
            var definition = workflows.Find(workflowId)
                ?? throw new InvalidOperationException($"There is no workflow \"{workflowId}\" (job {jobId}); it was removed after the job was queued.");
            using var document = JsonDocument.Parse(input);
            runId = await runner.CreateRunAsync(definition, document.RootElement, origin, jobId, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resumes a run that is not tied to a job: an inline run interrupted by a crash. The run is
    /// tied to this job first, so that a crash during the resume is not resumed twice.
    /// </summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task ResumeAsync(string runId, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var executing = performing.Enter(context.BackgroundJob.Id);
        await journal.AssignJobAsync(runId, context.BackgroundJob.Id, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runner.ExecuteAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run.Status != RunStatus.Completed)
        {
            throw new WorkflowRunFailedException(run);
        }
    }
}
