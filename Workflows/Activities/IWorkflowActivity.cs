using System.Text.Json;

namespace Supervisor.Workflows.Activities;

/// <summary>
/// The untyped face of an activity that the runner calls. Implement
/// <see cref="WorkflowActivity{TInput, TOutput}"/> rather than this.
/// </summary>
public interface IWorkflowActivity
{
    /// <param name="inputs">The activity's inputs, resolved: one JSON object.</param>
    Task<ActivityResult> ExecuteAsync(JsonElement inputs, ActivityContext context, CancellationToken cancellationToken);
}
