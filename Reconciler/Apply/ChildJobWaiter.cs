using Hangfire;
using Hangfire.States;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Runs;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Waits for workflow jobs to end. A job's run is looked up in the journal, woken by
/// <see cref="RunEndSignal"/> as soon as any run ends; Hangfire's own state is the fallback for a
/// job that ended without a run (dropped after its parent failed, or its workflow removed).
/// A job left Processing with no worker (its state could not be written: a full disk) is waited
/// for too, since <see cref="StrandedRunSweeper"/> requeues it once it can, but the apply is
/// faulted meanwhile: it cannot go on until the storage works again.
/// </summary>
public sealed class ChildJobWaiter(JobStorage storage, WorkflowJournal journal, RunEndSignal signal, PerformingJobs performing, ApplyStatus status, TimeProvider time)
{
    /// <summary>How long to wait for a signal before looking again anyway.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a job may stay Processing with no worker before the apply counts as faulted: a
    /// job is so for a moment around its method (milliseconds); Hangfire retries a failing state
    /// change for about 45 s.
    /// </summary>
    private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _workerless = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ChildJobResult>> WaitAllAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var results = new Dictionary<string, ChildJobResult>(StringComparer.Ordinal);
        while (results.Count < jobIds.Count)
        {
            var pulse = signal.Next;
            foreach (var jobId in jobIds.Where(id => !results.ContainsKey(id)))
            {
                if (await CheckAsync(jobId, cancellationToken).ConfigureAwait(false) is { } result)
                {
                    results[jobId] = result;
                }
            }

            if (results.Count < jobIds.Count)
            {
                try
                {
                    await pulse.WaitAsync(PollInterval, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Look again: see the class comment.
                }
            }
        }

        return [.. jobIds.Select(id => results[id])];
    }

    private async Task<ChildJobResult?> CheckAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await journal.FindRunByJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } runId
            && await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is { HasEnded: true } run)
        {
            _workerless.TryRemove(jobId, out _);
            return new ChildJobResult(jobId, run.Status == RunStatus.Completed, run.Reason, run.Message);
        }

        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        if (state is null)
        {
            _workerless.TryRemove(jobId, out _);
            return new ChildJobResult(jobId, false, "Gone", $"Job {jobId} no longer exists.");
        }

        if (state.Name == DeletedState.StateName || state.Name == FailedState.StateName)
        {
            _workerless.TryRemove(jobId, out _);
            return new ChildJobResult(jobId, false, state.Name, $"Job {jobId} ended {state.Name} without completing its run{(state.Reason is null ? "" : $": {state.Reason}")}.");
        }

        if (state.Name == ProcessingState.StateName && !performing.Contains(jobId))
        {
            var since = _workerless.GetOrAdd(jobId, time.GetUtcNow());
            if (time.GetUtcNow() - since >= StalledAfter)
            {
                status.Faulted($"Job {jobId} of the apply has been left Processing with no worker since {since:O}: its state could not be written (is the data folder's disk full?). It is requeued once the storage works again.");
            }
        }
        else
        {
            _workerless.TryRemove(jobId, out _);
        }

        return null;
    }
}
