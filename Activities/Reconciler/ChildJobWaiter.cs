using Hangfire;
using Hangfire.States;
using Supervisor.Workflows.Runs;

namespace Supervisor.Activities.Reconciler;

/// <summary>
/// Waits for workflow jobs to end. A job's run is looked up in the journal, woken by
/// <see cref="RunEndSignal"/> as soon as any run ends; Hangfire's own state is the fallback for a
/// job that ended without a run (dropped after its parent failed, or its workflow removed).
/// </summary>
public sealed class ChildJobWaiter(JobStorage storage, WorkflowJournal journal, RunEndSignal signal)
{
    /// <summary>How long to wait for a signal before looking again anyway.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

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
            return new ChildJobResult(jobId, run.Status == RunStatus.Completed, run.Reason, run.Message);
        }

        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        if (state is null)
        {
            return new ChildJobResult(jobId, false, "Gone", $"Job {jobId} no longer exists.");
        }

        return state.Name == DeletedState.StateName || state.Name == FailedState.StateName
            ? new ChildJobResult(jobId, false, state.Name, $"Job {jobId} ended {state.Name} without completing its run{(state.Reason is null ? "" : $": {state.Reason}")}.")
            : null;
    }
}
