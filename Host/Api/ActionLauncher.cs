using System.Text.Json;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api;

/// <summary>
/// Launches an action's workflow by id from the catalog (as loaded now, operators' edits
/// included), waits for it and turns every end but success into balena's answer. Lock handling is
/// the workflow's: a <c>Locked</c> failure comes back as 423 like any other failure reason.
/// </summary>
public sealed class ActionLauncher(IWorkflowCatalog catalog, RunLauncher launcher)
{
    /// <summary>balena's device API lets a request run for 15 minutes; an action longer than this answers 202 and carries on.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    /// <returns>The completed run, or the answer to give when the run did not complete.</returns>
    public async Task<(WorkflowRun? Completed, IResult? Answer)> RunAsync(string workflowId, JsonElement input, CancellationToken cancellationToken)
    {
        if (catalog.Find(workflowId) is not { } definition)
        {
            return (null, RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable,
                $"The workflow \"{workflowId}\" that carries out this action is not loaded; check the workflows folder."));
        }

        var (runId, ended) = await launcher.StartAsync(definition, input, "api", Wait, cancellationToken).ConfigureAwait(false);
        if (ended is null)
        {
            return (null, RunAnswers.Accepted(runId));
        }

        return ended.Status == RunStatus.Completed
            ? (ended, null)
            : (null, RunAnswers.Failed(RunAnswers.StatusCodeOf(ended), ended.Message ?? $"The action ended {ended.Status}."));
    }
}
