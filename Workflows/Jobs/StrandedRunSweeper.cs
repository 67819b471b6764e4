using System.Threading.Channels;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Supervisor.Workflows.Runs;

namespace Supervisor.Workflows.Jobs;

/// <summary>
/// Finds runs the journal holds as Pending or Running that nothing will finish, and resumes or
/// ends them, so that the journal never keeps a run Running forever. Such runs are left when a
/// write fails (a full disk): a job's last state change, or the run's own end. For each run that
/// this process is not executing, the job that owns it decides (the run's own job, or for a part
/// of an apply, the apply's job):
/// <list type="bullet">
/// <item>queued, scheduled or awaiting: it will run, and resume the run then;</item>
/// <item>being executed here: its worker finishes the run;</item>
/// <item>Processing with no worker (its state could not be written): requeued, so that it resumes the run;</item>
/// <item>ended (Succeeded, Failed, Deleted) or gone: nothing will run it again, so the run is
/// ended Faulted with reason <c>Interrupted</c> and a message saying why. Whoever waited for it
/// (an apply) has already counted it as failed, and the next pass plans again.</item>
/// </list>
/// An inline run (no job) that nobody executes is resumed through a job, as at start-up. What is
/// not conclusive at one look (Processing with no worker, an inline run not executing) must be seen
/// so at two sweeps in a row: a job is Processing for a moment before its method starts and after
/// it returns.
/// </summary>
public sealed partial class StrandedRunSweeper(
    WorkflowJournal journal,
    WorkflowRunner runner,
    JobStorage storage,
    ProcessingJobRequeuer requeuer,
    WorkflowScheduler scheduler,
    PerformingJobs performing,
    ILogger<StrandedRunSweeper> logger)
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Lock _gate = new();

    /// <summary>Runs that looked stranded at the last sweep without it being conclusive.</summary>
    private HashSet<string> _suspects = new(StringComparer.Ordinal);

    /// <summary>Inline runs this process queued a resume for: the resume ties the run to its job once it starts.</summary>
    private readonly HashSet<string> _resumed = new(StringComparer.Ordinal);

    /// <summary>A resume job was queued for inline run <paramref name="runId"/> elsewhere (the start-up recovery): no sweep queues another.</summary>
    public void Resumed(string runId)
    {
        lock (_gate)
        {
            _resumed.Add(runId);
        }
    }

    /// <summary>Asks for a sweep now (an apply ended) rather than at the next interval.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    /// <summary>Waits for <see cref="Request"/>, at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var delay = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, delay.Token);
        try
        {
            await _requests.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed with no request.
        }
    }

    /// <summary>One sweep over the unfinished runs; a run whose handling fails (the disk is still full) is tried again at the next.</summary>
    /// <returns>How many runs it resumed or ended.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var unfinished = await journal.ListUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false);
        HashSet<string> seen;
        lock (_gate)
        {
            seen = _suspects;
        }

        var suspects = new HashSet<string>(StringComparer.Ordinal);
        var handled = 0;
        foreach (var run in unfinished)
        {
            if (runner.IsExecuting(run.RunId))
            {
                continue;
            }

            try
            {
                handled += await HandleAsync(run, seen, suspects, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHandlingFailed(logger, ex, run.RunId, run.WorkflowId);
                suspects.Add(run.RunId);
            }
        }

        lock (_gate)
        {
            _suspects = suspects;
            _resumed.IntersectWith(unfinished.Select(r => r.RunId));
        }

        return handled;
    }

    private async Task<bool> HandleAsync(UnfinishedRun run, HashSet<string> seen, HashSet<string> suspects, CancellationToken cancellationToken)
    {
        if (run.JobId is null)
        {
            return ResumeInline(run, seen, suspects);
        }

        // A part of an apply carries "APPLYJOB/…": the apply resumes it when it runs again.
        var separator = run.JobId.IndexOf('/', StringComparison.Ordinal);
        var jobId = separator < 0 ? run.JobId : run.JobId[..separator];
        if (performing.Contains(jobId))
        {
            return false;
        }

        StateData? state;
        using (var connection = storage.GetConnection())
        {
            state = connection.GetStateData(jobId);
        }

        var owner = separator < 0 ? $"its job {jobId}" : $"job {jobId}, the apply it was part of,";
        var name = state?.Name;
        if (name == EnqueuedState.StateName || name == ScheduledState.StateName || name == AwaitingState.StateName)
        {
            return false;
        }

        if (name == ProcessingState.StateName)
        {
            if (!seen.Contains(run.RunId))
            {
                suspects.Add(run.RunId);
                return false;
            }

            LogRequeueing(logger, run.RunId, run.WorkflowId, jobId);
            return requeuer.Requeue(jobId);
        }

        if (state is null)
        {
            return await runner.InterruptAsync(run.RunId, $"Interrupted: {owner} no longer exists, so nothing would finish the run.", cancellationToken).ConfigureAwait(false);
        }

        if (name == SucceededState.StateName || name == FailedState.StateName || name == DeletedState.StateName)
        {
            var why = string.IsNullOrEmpty(state.Reason) ? string.Empty : $" ({state.Reason.TrimEnd('.')})";
            return await runner.InterruptAsync(run.RunId, $"Interrupted: {owner} ended {name}{why} before the run did, so nothing would finish it.", cancellationToken).ConfigureAwait(false);
        }

        // A state of someone else's making: leave the run to whoever set it.
        return false;
    }

    private bool ResumeInline(UnfinishedRun run, HashSet<string> seen, HashSet<string> suspects)
    {
        lock (_gate)
        {
            if (_resumed.Contains(run.RunId))
            {
                return false;
            }
        }

        if (!seen.Contains(run.RunId))
        {
            suspects.Add(run.RunId);
            return false;
        }

        var jobId = scheduler.EnqueueResume(run.RunId, run.WorkflowId);
        lock (_gate)
        {
            _resumed.Add(run.RunId);
        }

        LogResumingInline(logger, run.RunId, run.WorkflowId, jobId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {WorkflowId} is left Running by job {JobId}, which is Processing with no worker; requeueing the job so that it resumes the run")]
    private static partial void LogRequeueing(ILogger logger, string runId, string workflowId, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {WorkflowId} is unfinished and nothing executes it; resuming it through job {JobId}")]
    private static partial void LogResumingInline(ILogger logger, string runId, string workflowId, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resume or end run {RunId} of {WorkflowId}; the next sweep tries again")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, string runId, string workflowId);
}
