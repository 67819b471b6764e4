using System.Text.Json;
using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>Test activity: gives back the value it gets, so tests can see what a reference resolved to.</summary>
public sealed class Echo : WorkflowActivity<Echo.Input, Echo.Output>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Completed(new Output { Value = input.Value, Text = input.Text }));

    public sealed record Input
    {
        public JsonElement? Value { get; init; }

        public string? Text { get; init; }
    }

    public sealed record Output
    {
        public JsonElement? Value { get; init; }

        public string? Text { get; init; }
    }
}
