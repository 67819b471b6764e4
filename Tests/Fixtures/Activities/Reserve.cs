using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>
/// Test activity standing in for a lock: marked <see cref="RerunOnResumeAttribute"/>, it records
/// itself in the <see cref="Recorder"/> and ends <c>Refused</c> while the file <c>blockedBy</c>
/// exists, <c>Reserved</c> otherwise.
/// </summary>
[ActivityOutcomes("Reserved", "Refused")]
[RerunOnResume]
public sealed class Reserve(Recorder recorder) : WorkflowActivity<Reserve.Input, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        using var entry = recorder.Enter(input.Label, context.Attempt);
        var outcome = input.BlockedBy is { } path && File.Exists(path) ? "Refused" : "Reserved";
        return Task.FromResult(Outcome(outcome, NoOutput.Instance));
    }

    public sealed record Input
    {
        public required string Label { get; init; }

        public string? BlockedBy { get; init; }
    }
}
