using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Builtins;

/// <summary>Ends the run as Failed with a reason callers map (the device API: <c>Locked</c> → 423, <c>NotFound</c> → 404).</summary>
[ActivityOutcomes]
[WithoutWriteAhead]
[Description("Ends the run as Failed with a reason such as Locked or NotFound and a message.")]
public sealed class Fail : WorkflowActivity<Fail.Input, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Fail(input.Reason, input.Message ?? input.Reason));

    public sealed record Input
    {
        [Description("Why the run failed, in one word callers act on: Locked, NotFound, Invalid, ...")]
        public required string Reason { get; init; }

        [Description("What a person reads.")]
        public string? Message { get; init; }
    }
}
