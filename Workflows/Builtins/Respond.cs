using System.ComponentModel;
using System.Text.Json;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Builtins;

/// <summary>
/// Decides what an HTTP-triggered run answers. The last <c>Respond</c> a run passed through wins;
/// a run without one answers from how it ended.
/// </summary>
[WithoutWriteAhead]
[Description("Sets the HTTP status code and body that an HTTP-triggered run answers with.")]
public sealed class Respond : WorkflowActivity<Respond.Input, Respond.Input>
{
    protected override Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        if (input.StatusCode is < 100 or > 599)
        {
            return Task.FromResult(Fail("Invalid", $"Respond \"{context.ActivityId}\": {input.StatusCode} is not an HTTP status code."));
        }

        return Task.FromResult(Completed(input));
    }

    public sealed record Input
    {
        [Description("The HTTP status code, 100-599.")]
        public required int StatusCode { get; init; }

        [Description("The body: a string is sent as text/plain, anything else as JSON.")]
        public JsonElement? Body { get; init; }
    }
}
