using System.Collections.Concurrent;

namespace Supervisor.Activities.Locks;

/// <summary>
/// One in-process lock per app, held by a run from <c>AcquireUpdateLocks</c> to
/// <c>ReleaseUpdateLocks</c> (or the run's end, whichever comes first), so that actions on one
/// app never interleave. A run that already holds its app's lock takes it again at once.
/// </summary>
public sealed class AppLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);

    /// <summary>False when another run still holds the app's lock after <paramref name="wait"/>.</summary>
    public async Task<bool> TryAcquireAsync(string appKey, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(appKey, out var holder) && holder == runId)
        {
            return true;
        }

        var gate = _locks.GetOrAdd(appKey, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _holders[appKey] = runId;
        return true;
    }

    public void Release(string appKey, string runId)
    {
        if (_holders.TryGetValue(appKey, out var holder) && holder == runId && _holders.TryRemove(new KeyValuePair<string, string>(appKey, runId)))
        {
            _locks[appKey].Release();
        }
    }

    /// <summary>Gives back every app lock a run still holds.</summary>
    public void ReleaseAll(string runId)
    {
        foreach (var (appKey, holder) in _holders)
        {
            if (holder == runId)
            {
                Release(appKey, runId);
            }
        }
    }
}
