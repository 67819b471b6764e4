using Supervisor.Workflows.Activities;

namespace Supervisor.Bench.Measurements;

/// <summary>A no-op activity that notes when it started: the end of the enqueue-to-start latency.</summary>
public sealed class StartStamp(StartStamps stamps) : WorkflowActivity<NoInput, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        stamps.Record();
        return Task.FromResult(Completed(NoOutput.Instance));
    }
}
