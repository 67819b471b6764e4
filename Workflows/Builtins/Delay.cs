using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Builtins;

/// <summary>
/// Waits, for example to give a service time to settle after a start. After a crash the wait
/// starts again from the beginning: a delay is a pause, not a deadline.
/// </summary>
[Description("Waits for a duration (hh:mm:ss).")]
public sealed class Delay(TimeProvider time) : WorkflowActivity<Delay.Input, NoOutput>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        if (input.Duration < TimeSpan.Zero)
        {
            return Fail("Invalid", $"Delay \"{context.ActivityId}\": the duration {input.Duration} is negative.");
        }

        await Task.Delay(input.Duration, time, cancellationToken).ConfigureAwait(false);
        return Completed(NoOutput.Instance);
    }

    public sealed record Input
    {
        [Description("How long to wait, as hh:mm:ss (e.g. 00:00:05).")]
        public required TimeSpan Duration { get; init; }
    }
}
