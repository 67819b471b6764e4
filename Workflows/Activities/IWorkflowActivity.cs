using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Workflows.Activities;

/// <summary>
/// The untyped face of an activity that the runner calls. Implement
/// <see cref="WorkflowActivity{TInput, TOutput}"/> rather than this.
/// </summary>
public interface IWorkflowActivity
{
    Task<ActivityResult> ExecuteAsync(JsonObject inputs, ActivityContext context, CancellationToken cancellationToken);
}
