using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>Test activity: ends with the outcome its input names.</summary>
[ActivityOutcomes("Left", "Right")]
public sealed class Choose : WorkflowActivity<Choose.Input, Choose.Output>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Outcome(input.Outcome, new Output { Chosen = input.Outcome }));

    public sealed record Input
    {
        public required string Outcome { get; init; }
    }

    public sealed record Output
    {
        public required string Chosen { get; init; }
    }
}
