using Supervisor.Workflows.Activities;

namespace Supervisor.Bench.StepEngine;

/// <summary>An activity that does nothing, so that a run's time is the engine's own.</summary>
public sealed class Noop : WorkflowActivity<NoInput, NoOutput>
{
    private static readonly Task<ActivityResult> Result = Task.FromResult(Completed(NoOutput.Instance));

    protected override Task<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context, CancellationToken cancellationToken) => Result;
}
