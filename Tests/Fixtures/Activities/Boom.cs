using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>Test activity: throws, as an activity with a bug or a failing dependency would.</summary>
public sealed class Boom : WorkflowActivity<Boom.Input, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"boom: {input.Message}");

    public sealed record Input
    {
        public string? Message { get; init; }
    }
}
