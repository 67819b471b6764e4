using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Reconciler.Current;

/// <summary>
/// Marks services as stopped through the device API before they are stopped, so that no reconcile pass starts them
/// again in between. The marks the run added are taken back when it ends without reaching <see cref="KeepStoppedByApi"/>.
/// In memory, like the marks themselves: after a restart it runs again (<see cref="RerunOnResumeAttribute"/>), and the
/// run need not be on disk for it (<see cref="WithoutWriteAheadAttribute"/>): a crash loses the mark anyway, and a stop
/// refused by a user's lock stays as quick to answer as before.
/// </summary>
[RerunOnResume]
[WithoutWriteAhead]
[Description("Marks the services as stopped through the API (the reconciler leaves them stopped); taken back unless the run reaches KeepStoppedByApi.")]
public sealed class MarkStoppedByApi(ApiStoppedServices stopped) : WorkflowActivity<ApiStopInput, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(ApiStopInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        if (input.ApiAction)
        {
            stopped.MarkForRun(context.RunId, input.AppUuid, input.AllServices());
        }

        return Task.FromResult(Completed(NoOutput.Instance));
    }
}
