namespace Supervisor.Host.StepEngine;

/// <summary>
/// Wakes Hangfire's idle workers when the supervisor itself has queued a job: they otherwise find it only at their
/// next queue poll (<c>Supervisor:Jobs:QueuePollInterval</c>), which stays as the safety net for what is queued
/// behind the supervisor's back (continuations, Hangfire's own schedulers).
/// </summary>
public sealed class QueueWakeUp : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled at the next <see cref="Wake"/>: a worker waiting for a job waits on it too.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _current.Token;
            }
        }
    }

    /// <summary>Wakes every worker waiting now; those that wait after this wait for the next call.</summary>
    public void Wake()
    {
        CancellationTokenSource woken;
        lock (_gate)
        {
            woken = _current;
            _current = new CancellationTokenSource();
        }

        woken.Cancel();
        woken.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
        }
    }
}
