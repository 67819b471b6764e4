using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Locks;

/// <summary>
/// Gives back the update locks this run took for the app: its lock files (recorded under the app's
/// uuid, so found whichever folder they were taken in, even once the container that mounted it is
/// gone) and the app's in-process lock.
/// </summary>
[Description("Removes the lock files this run took for the app and lets other operations on the app go ahead.")]
public sealed class ReleaseUpdateLocks(AppLocks appLocks, UpdateLockFiles files) : WorkflowActivity<AppLockInput, ReleaseUpdateLocks.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppLockInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var released = await files.ReleaseAsync(input.AppUuid, context.RunId, cancellationToken).ConfigureAwait(false);
        appLocks.Release(input.AppUuid, context.RunId);
        return Completed(new Output { FilesRemoved = released });
    }

    public sealed record Output
    {
        public int FilesRemoved { get; init; }
    }
}
