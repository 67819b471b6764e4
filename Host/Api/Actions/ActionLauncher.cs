using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Locks;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// Launches an action's workflow by id from the catalog (as loaded now, operators' edits
/// included), waits for it and turns every end but success into balena's answer. Identical
/// requests share runs (<see cref="ActionTurns"/>); every answer names the run that gave it in
/// <see cref="RunIdHeader"/>. Lock handling is the workflow's: a <c>Locked</c> failure comes back
/// as 423 and <c>Busy</c> as 503 with <c>Retry-After</c>, like any other failure reason.
/// </summary>
public sealed class ActionLauncher(IWorkflowCatalog catalog, RunLauncher launcher, ActionTurns turns, IOptions<UpdateLockOptions> lockOptions, TimeProvider time)
{
    /// <summary>balena's device API lets a request run for 15 minutes; an action longer than this answers 202 and carries on.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    /// <summary>The response header naming the run that answered the request (shared by identical requests).</summary>
    public const string RunIdHeader = "Supervisor-Run-Id";

    /// <returns>The completed run, or the answer to give when the run did not complete.</returns>
    public async Task<(WorkflowRun? Completed, IResult? Answer)> RunAsync(HttpContext context, string workflowId, JsonElement input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arrived = time.GetTimestamp();
        var cancellationToken = context.RequestAborted;
        if (catalog.Find(workflowId) is not { } definition)
        {
            return (null, RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable,
                $"The workflow \"{workflowId}\" that carries out this action is not loaded; check the workflows folder."));
        }

        var key = $"{definition.Id}\n{definition.ContentHash}\n{input.GetRawText()}";
        var (runId, execution) = await turns.JoinAsync(key, () => launcher.Start(definition, input, "api")).WaitAsync(cancellationToken).ConfigureAwait(false);
        context.Response.Headers[RunIdHeader] = runId;

        // A request that joined the next turn has waited for the current one already; the limit counts from its arrival.
        var left = Wait - time.GetElapsedTime(arrived);
        WorkflowRun ended;
        try
        {
            ended = await execution.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return (null, RunAnswers.Accepted(runId));
        }

        if (ended.Status == RunStatus.Completed)
        {
            return (ended, null);
        }

        if (ended.Reason == AcquireUpdateLocks.Busy)
        {
            // The other operation held the app for as long as this one waited; come back after about as long.
            var seconds = Math.Max(1, (int)Math.Ceiling(lockOptions.Value.AppLockWait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return (null, RunAnswers.Failed(RunAnswers.StatusCodeOf(ended), ended.Message ?? $"The action ended {ended.Status}."));
    }
}
