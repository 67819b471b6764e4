using System.Text.Json;

namespace Supervisor.Workflows.Activities;

/// <summary>
/// The base of every activity: typed inputs and outputs, and the outcomes it declares with
/// <see cref="ActivityOutcomesAttribute"/> (<c>Done</c> when it declares none).
/// <para>
/// Activities must be idempotent: after a crash the runner starts the unfinished activity
/// again, so running it a second time must reach the same end state (pulling an image already
/// present succeeds; removing a tag already gone succeeds). <see cref="ActivityContext.Attempt"/>
/// says when that is happening.
/// </para>
/// </summary>
public abstract class WorkflowActivity<TInput, TOutput> : IWorkflowActivity
    where TInput : class
    where TOutput : class
{
    public const string Done = "Done";

    public async Task<ActivityResult> ExecuteAsync(JsonElement inputs, ActivityContext context, CancellationToken cancellationToken)
    {
        TInput input;
        try
        {
            input = inputs.Deserialize<TInput>(WorkflowJson.Options)
                ?? throw new ActivityInputException(context.ActivityId, "the inputs are null");
        }
        catch (JsonException ex)
        {
            throw new ActivityInputException(context.ActivityId, ex.Message, ex);
        }

        return await ExecuteAsync(input, context, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<ActivityResult> ExecuteAsync(TInput input, ActivityContext context, CancellationToken cancellationToken);

    /// <summary>Ends with <c>Done</c>.</summary>
    protected static ActivityResult Completed(TOutput output) => Outcome(Done, output);

    protected static ActivityResult Outcome(string outcome, TOutput output) =>
        ActivityResult.Ended(outcome, JsonSerializer.SerializeToElement(output, WorkflowJson.Options));

    /// <summary>Ends the run as Failed with a reason callers can act on (e.g. <c>Locked</c>, <c>NotFound</c>).</summary>
    protected static ActivityResult Fail(string reason, string message) => ActivityResult.Failed(reason, message);
}
