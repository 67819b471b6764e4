using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Asks the reconcile loop for a pass, from inside a workflow: after a purge, the loop is what
/// creates the app's containers and volumes again from the target.
/// </summary>
[Description("Asks the reconciler for a pass now (it brings the device back to its target).")]
public sealed class RequestApply(ApplyTrigger trigger) : WorkflowActivity<RequestApply.Input, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        trigger.Request($"{context.WorkflowId}: {input.Reason}");
        return Task.FromResult(Completed(NoOutput.Instance));
    }

    public sealed record Input
    {
        [Description("Why, for the log.")]
        public string Reason { get; init; } = "requested by a workflow";
    }
}
