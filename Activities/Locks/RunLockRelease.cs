using Supervisor.Workflows.Runs;

namespace Supervisor.Activities.Locks;

/// <summary>
/// When a run ends, gives back the update locks it still holds: its lock files and its app locks.
/// A run that failed or faulted between <c>AcquireUpdateLocks</c> and <c>ReleaseUpdateLocks</c>
/// must not leave the app locked.
/// </summary>
public sealed class RunLockRelease(AppLocks appLocks, UpdateLockFiles files) : IRunEndListener
{
    public async Task RunEndedAsync(string runId, CancellationToken cancellationToken)
    {
        await files.ReleaseRunAsync(runId, cancellationToken).ConfigureAwait(false);
        appLocks.ReleaseAll(runId);
    }
}
