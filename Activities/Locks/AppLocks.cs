using System.Collections.Concurrent;

namespace Supervisor.Activities.Locks;

/// <summary>
/// One in-process lock per app (by uuid, whichever id the caller named it by), held by a run from <c>AcquireUpdateLocks</c> to
/// <c>ReleaseUpdateLocks</c> (or the run's end, whichever comes first), so that actions on one
/// app never interleave. A run that already holds its app's lock takes it again at once.
/// </summary>
public sealed class AppLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);

    /// <summary>False when another run still holds the app's lock after <paramref name="wait"/>.</summary>
    public async Task<bool> TryAcquireAsync(string appUuid, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(appUuid, out var holder) && holder == runId)
        {
            return true;
        }

        var gate = _locks.GetOrAdd(appUuid, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _holders[appUuid] = runId;
        return true;
    }

    public void Release(string appUuid, string runId)
    {
        if (_holders.TryGetValue(appUuid, out var holder) && holder == runId && _holders.TryRemove(new KeyValuePair<string, string>(appUuid, runId)))
        {
            _locks[appUuid].Release();
        }
    }

    /// <summary>Gives back every app lock a run still holds.</summary>
    public void ReleaseAll(string runId)
    {
        foreach (var (appUuid, holder) in _holders)
        {
            if (holder == runId)
            {
                Release(appUuid, runId);
            }
        }
    }
}
