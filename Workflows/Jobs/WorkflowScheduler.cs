using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Jobs;

/// <summary>Queues background runs as Hangfire jobs, each in its definition's queue, alone or one after another.</summary>
public sealed class WorkflowScheduler(IBackgroundJobClient jobs, IWorkflowCatalog workflows)
{
    /// <summary>Queues a run; returns its Hangfire job id.</summary>
    /// <param name="after">
    /// A job id: the run starts only once that job succeeded (its run completed). If that run
    /// does not complete, this one is never started: Hangfire deletes it along with its parent.
    /// </param>
    public string Enqueue(string workflowId, JsonElement input, string origin, string? after = null)
    {
        var definition = workflows.Find(workflowId)
            ?? throw new KeyNotFoundException($"There is no workflow \"{workflowId}\".");
        var job = Job.FromExpression<WorkflowJob>(
            j => j.StartAsync(workflowId, InputText(input), origin, null, CancellationToken.None));
        IState state = after is null
            ? new EnqueuedState(definition.Queue)
            : new AwaitingState(after, new EnqueuedState(definition.Queue), JobContinuationOptions.OnlyOnSucceededState);
        return jobs.Create(job, state);
    }

    /// <summary>Queues runs to go strictly one after another; a failure stops the rest. Returns their job ids in order.</summary>
    public IReadOnlyList<string> EnqueueSequence(IEnumerable<(string WorkflowId, JsonElement Input)> runs, string origin)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ids = new List<string>();
        string? previous = null;
        foreach (var (workflowId, input) in runs)
        {
            previous = Enqueue(workflowId, input, origin, previous);
            ids.Add(previous);
        }

        return ids;
    }

    /// <summary>
    /// Queues the resume of a run no job is tied to (an inline run a crash or a failed write left
    /// unfinished), in its definition's queue; returns the job id.
    /// </summary>
    public string EnqueueResume(string runId, string workflowId)
    {
        var queue = workflows.Find(workflowId)?.Queue ?? WorkflowQueues.Default;
        return jobs.Create(Job.FromExpression<WorkflowJob>(j => j.ResumeAsync(runId, null, CancellationToken.None)), new EnqueuedState(queue));
    }

    /// <summary>A run input as the JSON text a job carries; nothing becomes an empty object.</summary>
    public static string InputText(JsonElement input) =>
        input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "{}" : input.GetRawText();
}
