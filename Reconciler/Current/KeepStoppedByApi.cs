using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Reconciler.Current;

/// <summary>The stop went through: the marks <see cref="MarkStoppedByApi"/> made in this run stay after it ends.</summary>
[Description("Keeps the marks MarkStoppedByApi made in this run: the stop went through.")]
public sealed class KeepStoppedByApi(ApiStoppedServices stopped) : WorkflowActivity<NoInput, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        stopped.KeepForRun(context.RunId);
        return Task.FromResult(Completed(NoOutput.Instance));
    }
}
