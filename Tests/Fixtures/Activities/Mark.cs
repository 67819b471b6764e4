using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>Test activity: marks its label into the test's <see cref="Recorder"/>, optionally taking some time.</summary>
public sealed class Mark(Recorder recorder) : WorkflowActivity<Mark.Input, NoOutput>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        using (recorder.Enter(input.Label, context.Attempt))
        {
            if (input.DelayMs > 0)
            {
                await Task.Delay(input.DelayMs, cancellationToken).ConfigureAwait(false);
            }
        }

        return Completed(NoOutput.Instance);
    }

    public sealed record Input
    {
        public required string Label { get; init; }

        public int DelayMs { get; init; }
    }
}
