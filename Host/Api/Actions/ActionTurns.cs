using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// Takes turns for identical actions (the same workflow, definition and input): the first request
/// starts a run at once; requests that arrive while it goes on all join the next turn, a single
/// run started when the current one ends, and all get that run's answer. So a burst of identical
/// restarts makes at most two runs, and every caller's action happens after its request arrived
/// (a caller never gets the answer of a run that began before it asked).
/// </summary>
/// <remarks>
/// Without this, each request is its own run and waits for the app behind the others; a burst
/// longer than <c>AppLockWait</c> refuses the callers at its end although nothing is wrong.
/// </remarks>
public sealed class ActionTurns
{
    private readonly Lock _gate = new();
    /// <summary>Keys whose run is going, each with the turn collecting the requests that arrived meanwhile (null: none yet).</summary>
    private readonly Dictionary<string, Turn?> _going = new(StringComparer.Ordinal);

    /// <summary>The run this request is answered by, once it has started.</summary>
    /// <param name="key">What makes two requests identical.</param>
    /// <param name="start">Starts the run; called once per turn, by whichever request opened it.</param>
    public Task<(string RunId, Task<WorkflowRun> Execution)> JoinAsync(string key, Func<(string RunId, Task<WorkflowRun> Execution)> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Turn joined;
        bool startNow;
        lock (_gate)
        {
            if (_going.TryGetValue(key, out var next))
            {
                joined = _going[key] = next ?? new Turn(start);
                startNow = false;
            }
            else
            {
                joined = new Turn(start);
                _going[key] = null;
                startNow = true;
            }
        }

        if (startNow)
        {
            Begin(key, joined);
        }

        return joined.Started.Task;
    }

    private void Begin(string key, Turn turn)
    {
        (string RunId, Task<WorkflowRun> Execution) started;
        try
        {
            started = turn.Start();
        }
        catch (Exception ex)
        {
            turn.Started.TrySetException(ex);
            End(key);
            return;
        }

        turn.Started.TrySetResult(started);
        // The next turn starts on a pool thread, not on the one that ended this run.
        started.Execution.ContinueWith(_ => End(key), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The key's run ended: start its next turn, or forget the key when none is waiting.</summary>
    private void End(string key)
    {
        Turn? next;
        lock (_gate)
        {
            next = _going[key];
            if (next is null)
            {
                _going.Remove(key);
            }
            else
            {
                _going[key] = null;
            }
        }

        if (next is not null)
        {
            Begin(key, next);
        }
    }

    private sealed class Turn(Func<(string RunId, Task<WorkflowRun> Execution)> start)
    {
        public Func<(string RunId, Task<WorkflowRun> Execution)> Start { get; } = start;

        public TaskCompletionSource<(string RunId, Task<WorkflowRun> Execution)> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
