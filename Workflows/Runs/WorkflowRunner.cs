using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Executes runs one activity after another, journalling each boundary before moving on. A run
/// interrupted by a crash or shutdown is executed again from the activity that did not finish.
/// Within one process a run executes at most once at a time: a second request for the same run
/// joins the execution under way.
/// </summary>
public sealed partial class WorkflowRunner(
    WorkflowJournal journal,
    RunProgressBoard progress,
    IWorkflowCatalog workflows,
    IActivityCatalog activities,
    IServiceScopeFactory scopes,
    IEnumerable<IRunEndListener> endListeners,
    TimeProvider time,
    ILogger<WorkflowRunner> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<WorkflowRun>>> _executing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, ObjectFactory> _factories = new();

    /// <summary>Records a new run, not started.</summary>
    /// <param name="jobId">The Hangfire job executing it, for background runs.</param>
    public async Task<string> CreateRunAsync(WorkflowDefinition definition, JsonElement input, string origin, string? jobId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var now = time.GetUtcNow();
        var runId = RunIds.New(now);
        await journal.CreateRunAsync(runId, definition, origin, Normalised(input), now, jobId, cancellationToken).ConfigureAwait(false);
        return runId;
    }

    /// <summary>
    /// Starts a new run and executes it to its end. Unlike <see cref="CreateRunAsync"/>, the run is
    /// not written first: it is written before the first activity that needs it on disk (any not
    /// marked <see cref="WithoutWriteAheadAttribute"/>), or, if it ends before that, just after
    /// it ends. A request refused by a check thus costs no wait for the disk.
    /// </summary>
    public (string RunId, Task<WorkflowRun> Execution) Start(WorkflowDefinition definition, JsonElement input, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var now = time.GetUtcNow();
        var runId = RunIds.New(now);
        var recording = RunRecording.InMemory(journal, definition, runId, origin, Normalised(input), now);
        var execution = _executing.GetOrAdd(runId, _ => new Lazy<Task<WorkflowRun>>(() => ExecuteNewAsync(recording, definition, cancellationToken)));
        return (runId, TrackAsync(runId, execution));
    }

    /// <summary>Executes (or resumes) a run to its end and returns it with its history.</summary>
    public Task<WorkflowRun> ExecuteAsync(string runId, CancellationToken cancellationToken = default) =>
        TrackAsync(runId, _executing.GetOrAdd(runId, id => new Lazy<Task<WorkflowRun>>(() => ExecuteCoreAsync(id, cancellationToken))));

    private async Task<WorkflowRun> TrackAsync(string runId, Lazy<Task<WorkflowRun>> execution)
    {
        try
        {
            return await execution.Value.ConfigureAwait(false);
        }
        finally
        {
            _executing.TryRemove(new KeyValuePair<string, Lazy<Task<WorkflowRun>>>(runId, execution));
        }
    }

    private static JsonElement Normalised(JsonElement input) =>
        input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? JsonSerializer.SerializeToElement(new { }) : input;

    /// <summary>
    /// Ends, as Faulted with reason <see cref="Interrupted"/>, a run that nothing will finish (its
    /// job ended or is gone), unless this process executes it. The run holds its place among the
    /// executions while it is ended, so that it is never ended and executed at once: an execution
    /// asked for meanwhile gets the ended run. Its end is announced as any other's (its update locks
    /// are given back).
    /// </summary>
    /// <returns>True when this call ended it.</returns>
    public async Task<bool> InterruptAsync(string runId, string message, CancellationToken cancellationToken = default)
    {
        var ended = false;
        var mine = new Lazy<Task<WorkflowRun>>(async () =>
        {
            var end = new RunEnd(RunStatus.Faulted, Interrupted, message, time.GetUtcNow());
            ended = await journal.EndUnfinishedRunAsync(runId, end, cancellationToken).ConfigureAwait(false);
            var run = await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"There is no run \"{runId}\".");
            if (ended)
            {
                progress.Clear(runId);
                foreach (var listener in endListeners)
                {
                    await listener.RunEndedAsync(runId, cancellationToken).ConfigureAwait(false);
                }

                LogNotCompleted(logger, runId, run.WorkflowId, RunSubject.Of(run.Input), RunStatus.Faulted, Interrupted, message);
            }

            return run;
        });
        if (!ReferenceEquals(_executing.GetOrAdd(runId, mine), mine))
        {
            return false;
        }

        await TrackAsync(runId, mine).ConfigureAwait(false);
        return ended;
    }

    /// <summary>The reason of a run ended because nothing would finish it (see <see cref="InterruptAsync"/>).</summary>
    public const string Interrupted = "Interrupted";

    /// <summary>True while this process executes the run.</summary>
    public bool IsExecuting(string runId) => _executing.ContainsKey(runId);

    private async Task<WorkflowRun> ExecuteCoreAsync(string runId, CancellationToken cancellationToken)
    {
        // Let the caller (an HTTP request, a job) get its task back before the first activity runs.
        await Task.Yield();
        var run = await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"There is no run \"{runId}\".");
        if (run.HasEnded)
        {
            return run;
        }

        WorkflowDefinition definition;
        try
        {
            definition = await PinnedDefinitionAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await journal.EndRunAsync(runId, new RunEnd(RunStatus.Faulted, "Fault", ex.Message, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return (await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))!;
        }

        var results = new Dictionary<string, StepResult>(StringComparer.Ordinal);
        foreach (var step in run.Steps.Where(s => s.EndedAt is not null))
        {
            results[step.ActivityId] = new StepResult(step.Outcome, step.Output);
        }

        var last = run.Steps.Count > 0 ? run.Steps[^1] : null;
        string? current;
        int sequence;
        var reruns = new Queue<WorkflowRunStep>();
        if (last is null)
        {
            (current, sequence) = (definition.Start, 1);
            await journal.BeginStepAsync(runId, Start(definition, current, sequence), restart: false, cancellationToken).ConfigureAwait(false);
        }
        else if (last.EndedAt is null && StepsToRerun(run, last) is { Count: > 0 } toRerun)
        {
            // The interrupted activity must not run without what the earlier ones took (update locks
            // the startup recovery removed): close it, take those again, then run it anew.
            reruns = new Queue<WorkflowRunStep>(toRerun);
            var first = reruns.Peek();
            (current, sequence) = (first.ActivityId, last.Sequence + 1);
            var rerunIds = string.Join(", ", toRerun.Select(s => s.ActivityId));
            LogRerunning(logger, runId, definition.Id, last.ActivityId, rerunIds);
            var interrupted = new StepEnd(last.Sequence, time.GetUtcNow(), null, null, $"Interrupted by a restart; runs again after {rerunIds} ran again.");
            await journal.EndStepAsync(runId, interrupted, Start(definition, current, sequence), null, cancellationToken).ConfigureAwait(false);
        }
        else if (last.EndedAt is null)
        {
            (current, sequence) = (last.ActivityId, last.Sequence);
            LogResuming(logger, runId, definition.Id, current, last.Attempt + 1);
            await journal.BeginStepAsync(runId, Start(definition, current, sequence), restart: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Not reachable through the journal's own transactions; kept so a hand-edited journal still ends.
            await journal.EndRunAsync(runId, new RunEnd(RunStatus.Completed, null, null, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return (await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))!;
        }

        return await ExecuteFromAsync(RunRecording.Written(journal, definition, run), definition, results, current, sequence, last, reruns, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkflowRun> ExecuteNewAsync(RunRecording recording, WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        await recording.BeginFirstStepAsync(Start(definition, definition.Start, 1), cancellationToken).ConfigureAwait(false);
        var results = new Dictionary<string, StepResult>(StringComparer.Ordinal);
        return await ExecuteFromAsync(recording, definition, results, definition.Start, 1, null, new Queue<WorkflowRunStep>(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Executes activities from <paramref name="current"/> (already begun in the journal) to the run's end.</summary>
    /// <param name="last">The run's last step when it resumes, else null.</param>
    /// <param name="reruns">Completed steps to run again before the interrupted one, when it resumes.</param>
    private async Task<WorkflowRun> ExecuteFromAsync(
        RunRecording recording,
        WorkflowDefinition definition,
        Dictionary<string, StepResult> results,
        string? current,
        int sequence,
        WorkflowRunStep? last,
        Queue<WorkflowRunStep> reruns,
        CancellationToken cancellationToken)
    {
        var runId = recording.RunId;
        await using var scope = scopes.CreateAsyncScope();
        while (current is not null)
        {
            var node = definition.Activities[current];
            var attempt = last is not null && last.Sequence == sequence ? last.Attempt + 1 : 1;
            var (end, next, runEnd) = await ExecuteActivityAsync(scope.ServiceProvider, recording, definition, node, sequence, attempt, results, cancellationToken).ConfigureAwait(false);
            if (reruns.Count > 0 && reruns.Peek().ActivityId == current)
            {
                // Taken again as before: carry on towards the interrupted activity. Any other end
                // (Locked, a failure) is the run's path from here, as the definition says.
                var original = reruns.Dequeue();
                if (runEnd is null && end.Outcome == original.Outcome)
                {
                    var resumeAt = reruns.Count > 0 ? reruns.Peek().ActivityId : last!.ActivityId;
                    next = Start(definition, resumeAt, sequence + 1);
                }
                else
                {
                    reruns.Clear();
                }
            }

            await recording.EndStepAsync(end, next, runEnd, cancellationToken).ConfigureAwait(false);
            if (runEnd is not null)
            {
                progress.Clear(runId);
                foreach (var listener in endListeners)
                {
                    await listener.RunEndedAsync(runId, cancellationToken).ConfigureAwait(false);
                }

                LogEnded(logger, runId, definition.Id, RunSubject.Of(recording.Input), runEnd.Status, runEnd.Reason, runEnd.Message);
                break;
            }

            (current, sequence) = (next!.ActivityId, next.Sequence);
        }

        return await recording.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(StepEnd End, StepStart? Next, RunEnd? RunEnd)> ExecuteActivityAsync(
        IServiceProvider services,
        RunRecording run,
        WorkflowDefinition definition,
        ActivityNode node,
        int sequence,
        int attempt,
        Dictionary<string, StepResult> results,
        CancellationToken cancellationToken)
    {
        ActivityResult result;
        try
        {
            var descriptor = activities.Find(node.Type)
                ?? throw new InvalidOperationException($"Activity type \"{node.Type}\" of activity \"{node.Id}\" is not known to this program.");
            if (!descriptor.WithoutWriteAhead)
            {
                await run.WriteAheadAsync(cancellationToken).ConfigureAwait(false);
            }

            var inputs = ReferenceResolver.Resolve(node, run.Input, results);
            var factory = _factories.GetOrAdd(descriptor.ImplementationType, type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes));
            var activity = (IWorkflowActivity)factory(services, null);
            var context = new ActivityContext
            {
                RunId = run.RunId,
                WorkflowId = definition.Id,
                ActivityId = node.Id,
                Attempt = attempt,
                Progress = progress.For(run.RunId, node.Id, time),
                WriteAhead = run.WriteAheadAsync,
            };
            LogActivity(logger, run.RunId, node.Id, node.Type, attempt);
            result = await activity.ExecuteAsync(inputs, context, cancellationToken).ConfigureAwait(false);
            if (result.Outcome is { } outcome && !descriptor.Outcomes.Contains(outcome))
            {
                throw new InvalidOperationException(
                    $"Activity \"{node.Id}\" ({node.Type}) ended with outcome \"{outcome}\", which its type does not declare ({string.Join(", ", descriptor.Outcomes)}).");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: leave the activity open in the journal so that the next start runs it again.
            throw;
        }
        catch (RefusedInputException ex)
        {
            var refusedAt = time.GetUtcNow();
            var message = $"Activity \"{node.Id}\" ({node.Type}) refused its input: {ex.Message}";
            return (new StepEnd(sequence, refusedAt, null, null, ex.Message), null, new RunEnd(RunStatus.Failed, "Invalid", message, refusedAt));
        }
        catch (Exception ex)
        {
            var message = $"Activity \"{node.Id}\" ({node.Type}) faulted: {ex.Message}";
            return (new StepEnd(sequence, time.GetUtcNow(), null, null, ex.Message), null, new RunEnd(RunStatus.Faulted, "Fault", message, time.GetUtcNow()));
        }

        var now = time.GetUtcNow();
        if (result.Failure is { } failure)
        {
            return (new StepEnd(sequence, now, null, null, failure.Message), null, new RunEnd(RunStatus.Failed, failure.Reason, failure.Message, now));
        }

        var end = new StepEnd(sequence, now, result.Outcome, result.Output, null);
        results[node.Id] = new StepResult(result.Outcome, result.Output);
        var nextId = node.Next is { } next && next.TryGetValue(result.Outcome!, out var target) ? target : null;
        return nextId is null
            ? (end, null, new RunEnd(RunStatus.Completed, null, null, now))
            : (end, Start(definition, nextId, sequence + 1), null);
    }

    /// <summary>
    /// For a run interrupted in <paramref name="interrupted"/>: the last completed step of each
    /// activity whose type is marked <see cref="RerunOnResumeAttribute"/>, in run order.
    /// </summary>
    private List<WorkflowRunStep> StepsToRerun(WorkflowRun run, WorkflowRunStep interrupted) =>
        run.Steps
            .Where(s => s.EndedAt is not null && s.Outcome is not null && s.ActivityId != interrupted.ActivityId)
            .Where(s => activities.Find(s.ActivityType)?.RerunOnResume == true)
            .GroupBy(s => s.ActivityId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Sequence)!)
            .OrderBy(s => s.Sequence)
            .ToList();

    private StepStart Start(WorkflowDefinition definition, string activityId, int sequence) =>
        new(sequence, activityId, definition.Activities[activityId].Type, time.GetUtcNow());

    private async Task<WorkflowDefinition> PinnedDefinitionAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        if (workflows.Find(run.WorkflowId) is { } active && active.ContentHash == run.ContentHash)
        {
            return active;
        }

        var content = await journal.GetDefinitionContentAsync(run.ContentHash, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The journal has no copy of definition {run.WorkflowId} ({run.ContentHash}) that run {run.Id} is pinned to.");
        return workflows.Rehydrate(run.ContentHash, content);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: activity {ActivityId} ({ActivityType}), attempt {Attempt}")]
    private static partial void LogActivity(ILogger logger, string runId, string activityId, string activityType, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {WorkflowId} resumes at activity {ActivityId} (attempt {Attempt})")]
    private static partial void LogResuming(ILogger logger, string runId, string workflowId, string activityId, int attempt);

    /// <remarks>
    /// A run that fails chose to, for a reason (a user's update lock, a service that does not
    /// exist) that whoever started it reports: the API in its answer, the reconciler in its apply's
    /// outcome, Hangfire for a job's run. Only a fault, which nobody chose, is a warning here;
    /// a device answering 423 to an app that retries would otherwise fill its log with warnings.
    /// </remarks>
    private static void LogEnded(ILogger logger, string runId, string workflowId, string subject, RunStatus status, string? reason, string? message)
    {
        switch (status)
        {
            case RunStatus.Completed:
                LogCompleted(logger, runId, workflowId, subject);
                break;
            case RunStatus.Failed:
                LogFailed(logger, runId, workflowId, subject, reason, message);
                break;
            default:
                LogNotCompleted(logger, runId, workflowId, subject, status, reason, message);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {WorkflowId} resumes: {Rerun} run again before the interrupted activity {ActivityId}")]
    private static partial void LogRerunning(ILogger logger, string runId, string workflowId, string activityId, string rerun);

    // {Subject} is RunSubject's " (app …, service …, image …)", empty for a run whose input names none.
    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {WorkflowId}{Subject} completed")]
    private static partial void LogCompleted(ILogger logger, string runId, string workflowId, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {WorkflowId}{Subject} failed ({Reason}): {Message}")]
    private static partial void LogFailed(ILogger logger, string runId, string workflowId, string subject, string? reason, string? message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {WorkflowId}{Subject} ended {Status} ({Reason}): {Message}")]
    private static partial void LogNotCompleted(ILogger logger, string runId, string workflowId, string subject, RunStatus status, string? reason, string? message);
}
