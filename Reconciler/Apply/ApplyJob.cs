using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Locks;
using Supervisor.Reconciler.Planning;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Runs;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// One apply: runs the phases of the plan the reconcile loop made and handed over
/// (<see cref="PlannedApplies"/>), in order; it does not read or plan the device again.
/// Downloads go to the <c>fetch</c> queue (several at once) and this job waits for all of them;
/// the service changes then run in this job, several at once where the plan allows it
/// (<see cref="ChangePrerequisites"/>), so no Hangfire hop sits between a stop and the start
/// that follows it; image removals go to the single-worker <c>removal</c> queue, in order. A phase that did not fully complete stops the later ones: the next pass
/// plans again from what is then on the device.
/// </summary>
/// <remarks>
/// The job runs on the <c>apply</c> queue, which has one worker: one apply at a time. Killed in
/// the middle, it is requeued at startup and starts again: it waits for the downloads it had
/// queued and finishes the service runs it had begun, and ends there, since its plan died with
/// the process (and would be stale now); the loop, told that the apply ended, plans afresh from
/// the device of that moment. Nothing is done twice and nothing is left half-done.
/// </remarks>
public sealed partial class ApplyJob(
    PlannedApplies plans,
    ForcedApply forced,
    WorkflowScheduler scheduler,
    WorkflowRunner runner,
    WorkflowJournal journal,
    IWorkflowCatalog workflows,
    ChildJobWaiter waiter,
    ApplyStatus status,
    ApplyTrigger trigger,
    StrandedRunSweeper strandedRuns,
    PerformingJobs performing,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ApplyJob> logger)
{
    public const string Queue = "apply";
    public const string RunOrigin = "apply";
    private const string FetchJobsParameter = "FetchJobs";

    /// <summary>
    /// The signature apply jobs had before the loop handed its plan over. A job an earlier version
    /// queued (interrupted by the update of the supervisor itself) is requeued at start-up with it:
    /// without this method Hangfire could not run it, the loop would wait for it until
    /// <c>ApplyStuckAfter</c>, and the device would not converge for hours. It runs as a requeued job
    /// does: it finishes what it had begun, then the pass that follows its end plans afresh.
    /// </summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task ApplyAsync(string reason, bool force, PerformContext? context, CancellationToken cancellationToken) =>
        ApplyAsync(string.Empty, $"{reason} (queued by an earlier version)", force, context, cancellationToken);

    /// <param name="planId">The <see cref="PlannedApply.Id"/> of the plan to run.</param>
    /// <param name="reason">Why the loop made the pass, for the log.</param>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    /// <param name="force">The plan was made with <c>force</c>; kept with the job so that a job that finds no plan to run hands it on to the next pass.</param>
    public async Task ApplyAsync(string planId, string reason, bool force, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobId = context.BackgroundJob.Id;
        using var executing = performing.Enter(jobId);
        status.Update(s => s with { Applying = true, ApplyStartedAt = time.GetUtcNow() });
        LogApplyStarted(logger, jobId, reason);

        PhaseFailure? failed;
        try
        {
            failed = await ApplyCoreAsync(jobId, planId, force, context, cancellationToken).ConfigureAwait(false);
            status.Recovered();
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Whatever went wrong, the loop must learn that this apply is over; a shutdown is
            // different: the job is requeued at the next start and carries on from there.
            failed = new PhaseFailure(ex.Message, []);
            if (ex is not EngineException)
            {
                // Not the device's doing (the journal or Hangfire's storage failed: a full disk):
                // the loop is faulted until a pass or an apply goes through again.
                status.Faulted($"Apply {jobId} failed: {ex.Message}");
            }
        }
        finally
        {
            // Runs this apply started and could not see to their end (their jobs' last state change
            // failed, say) are found now rather than at the next periodic sweep.
            strandedRuns.Request();
        }

        var failure = failed?.Message;

        var now = time.GetUtcNow();
        status.Update(s => s with
        {
            Applying = false,
            ApplyStartedAt = null,
            LastApplyEndedAt = now,
            Fetches = [],
            LastError = failure,
            FailedApps = failed?.Apps ?? [],
            LastAppliedAt = failure is null ? now : s.LastAppliedAt,
        });

        // The loop looks again at once: it decides whether the device is at its target now, or
        // when to try again.
        trigger.Request("apply ended");
        if (failure is not null)
        {
            LogApplyFailed(logger, jobId, failure);
            throw new ApplyFailedException(failure);
        }

        LogApplyCompleted(logger, jobId);
    }

    /// <returns>Null when every phase completed, else why not.</returns>
    private async Task<PhaseFailure?> ApplyCoreAsync(string jobId, string planId, bool force, PerformContext context, CancellationToken cancellationToken)
    {
        // A previous attempt of this job (before a crash) may have left work under way.
        if (context.GetJobParameter<string[]>(FetchJobsParameter) is { Length: > 0 } earlierFetches)
        {
            await waiter.WaitAllAsync(earlierFetches, cancellationToken).ConfigureAwait(false);
        }

        foreach (var runId in await journal.ListUnfinishedChildRunIdsAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            await runner.ExecuteAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        if (plans.TryTake(planId, status.Current.LastApplyEndedAt) is not { } planned)
        {
            // Requeued after a restart (its plan was in the memory of the process that died),
            // abandoned as stuck and replaced, or planned before an apply that ended since: what
            // it had begun is finished; the pass that follows its end plans from the device as it
            // is now, with the force it was asked for.
            if (force)
            {
                forced.Request();
            }

            LogNoPlan(logger, jobId);
            return null;
        }

        var plan = planned.Plan;
        LogPlan(logger, jobId, plan.Fetches.Count, plan.ServiceChanges.Count, plan.Removals.Count, plan.Blocked.Count);

        return await FetchAsync(plan, context, cancellationToken).ConfigureAwait(false)
            ?? await ChangeServicesAsync(plan, jobId, planned.Force, cancellationToken).ConfigureAwait(false)
            ?? await RemoveImagesAsync(plan, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PhaseFailure?> FetchAsync(ReconcilePlan plan, PerformContext context, CancellationToken cancellationToken)
    {
        if (plan.Fetches.Count == 0)
        {
            return null;
        }

        var fetches = plan.Fetches
            .Select(step => (Step: step, JobId: scheduler.Enqueue(step.Workflow, step.Input, RunOrigin)))
            .ToList();
        context.SetJobParameter(FetchJobsParameter, fetches.Select(f => f.JobId).ToArray());
        status.Update(s => s with
        {
            Fetches = [.. fetches.Select(f => new FetchInProgress(
                f.Step.AppUuid, f.Step.ServiceName ?? string.Empty, Text(f.Step.Input, "commit"), Text(f.Step.Input, "image"), f.JobId))],
        });

        var results = await waiter.WaitAllAsync([.. fetches.Select(f => f.JobId)], cancellationToken).ConfigureAwait(false);
        status.Update(s => s with { Fetches = [] });
        var failed = results
            .Where(r => !r.Completed)
            .Select(r => (fetches.Single(f => f.JobId == r.JobId).Step, r.Message))
            .ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var apps = failed
            .GroupBy(f => f.Step.AppUuid, StringComparer.Ordinal)
            .Select(g => new AppFailure(g.Key, string.Join("; ", g.Select(f => $"Downloading {Text(f.Step.Input, "image")} failed: {f.Message}"))))
            .ToList();
        return new PhaseFailure(
            $"{failed.Count} of {results.Count} downloads failed: " + string.Join("; ", failed.Select(f => $"{Text(f.Step.Input, "image")}: {f.Message}")),
            apps);
    }

    /// <summary>
    /// The service changes, each a workflow run in this job, several at once (<see cref="ReconcilerOptions.ParallelServiceChanges"/>):
    /// a change starts, in the plan's order, once those it waits for (<see cref="ChangePrerequisites"/>) have ended.
    /// A user's lock or a busy app leaves the rest of that app alone; a failed run lets those under way end and
    /// starts no more.
    /// </summary>
    private async Task<PhaseFailure?> ChangeServicesAsync(ReconcilePlan plan, string jobId, bool force, CancellationToken cancellationToken)
    {
        var steps = plan.ServiceChanges;
        var prerequisites = ChangePrerequisites.Of(plan, TakesAppLock);
        var ended = new bool[steps.Count];
        var begun = new bool[steps.Count];
        var running = new Dictionary<Task<WorkflowRun>, int>();
        var lockedApps = new HashSet<string>(StringComparer.Ordinal);
        var busyApps = new HashSet<string>(StringComparer.Ordinal);
        PhaseFailure? failure = null;

        // The first change not begun whose prerequisites have all ended; one of an app already held back ends at once.
        int? Next()
        {
            for (var i = 0; i < steps.Count; i++)
            {
                if (begun[i] || !prerequisites[i].All(p => ended[p]))
                {
                    continue;
                }

                begun[i] = true;
                if (!lockedApps.Contains(steps[i].AppUuid) && !busyApps.Contains(steps[i].AppUuid))
                {
                    return i;
                }

                ended[i] = true;
                i = -1;
            }

            return null;
        }

        try
        {
            while (true)
            {
                while (failure is null && running.Count < options.Value.ParallelServiceChanges && Next() is { } next)
                {
                    running.Add(RunChangeAsync(steps[next], jobId, force, cancellationToken), next);
                }

                if (running.Count == 0)
                {
                    break;
                }

                var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);
                var index = running[done];
                running.Remove(done);
                ended[index] = true;
                var step = steps[index];
                var run = await done.ConfigureAwait(false);
                if (run.Status == RunStatus.Completed)
                {
                    continue;
                }

                if (run.Reason == AcquireUpdateLocks.Locked)
                {
                    // A user took the lock after the plan was made: leave the rest of this app alone,
                    // carry on with the other apps, and report it.
                    if (lockedApps.Add(step.AppUuid))
                    {
                        status.Update(s => s with { Blocked = [.. s.Blocked, new BlockedApp(step.AppUuid, BlockedApp.UpdatesLocked)] });
                    }

                    continue;
                }

                if (run.Reason == AcquireUpdateLocks.Busy)
                {
                    // An API action still holds the app: not a user's lock, so nothing is reported
                    // blocked; the rest of this app waits for the next pass.
                    busyApps.Add(step.AppUuid);
                    continue;
                }

                var message = $"{step} ended {run.Status}: {run.Message}";
                failure ??= new PhaseFailure(message, [new AppFailure(step.AppUuid, message)]);
            }
        }
        catch
        {
            // Cancelled, or the journal failed: the runs still under way end before the job does, so that none is
            // left running beside the apply that takes over.
            await ((Task)Task.WhenAll(running.Keys)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        if (failure is not null)
        {
            return failure;
        }

        var waiting = new List<string>();
        if (lockedApps.Count > 0)
        {
            waiting.Add($"Updates are locked for {string.Join(", ", lockedApps.Order(StringComparer.Ordinal))}; their changes wait for the lock to go.");
        }

        if (busyApps.Count > 0)
        {
            waiting.Add($"{string.Join(", ", busyApps.Order(StringComparer.Ordinal))} {(busyApps.Count == 1 ? "is" : "are")} busy with another supervisor operation; their changes wait for the next pass.");
        }

        // A locked app says so in its blocked reason; a busy one has only this to say why it waits.
        return waiting.Count == 0
            ? null
            : new PhaseFailure(
                string.Join(" ", waiting),
                [.. busyApps.Order(StringComparer.Ordinal).Select(app => new AppFailure(app, "Busy with another supervisor operation; its changes wait for the next pass."))]);
    }

    /// <summary>Whether the step's workflow, as the workflows folder has it now, takes the app's update lock.</summary>
    private bool TakesAppLock(ReconcileStep step) =>
        workflows.Find(step.Workflow)?.Activities.Values.Any(a => a.Type == nameof(AcquireUpdateLocks)) ?? false;

    private async Task<WorkflowRun> RunChangeAsync(ReconcileStep step, string jobId, bool force, CancellationToken cancellationToken)
    {
        var definition = workflows.Find(step.Workflow)
            ?? throw new InvalidOperationException($"The workflow \"{step.Workflow}\" the reconciler needs is missing from the workflows folder.");

        // The child's job id ties it to this job, so that a restarted apply finishes it
        // rather than the startup recovery running it beside a new plan.
        var input = force && step.NeedsLock ? WithForce(step.Input) : step.Input;
        var runId = await runner.CreateRunAsync(definition, input, RunOrigin, $"{jobId}/{Guid.CreateVersion7(time.GetUtcNow()):N}", cancellationToken).ConfigureAwait(false);
        return await runner.ExecuteAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PhaseFailure?> RemoveImagesAsync(ReconcilePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Removals.Count == 0)
        {
            return null;
        }

        var jobIds = scheduler.EnqueueSequence(plan.Removals.Select(s => (s.Workflow, s.Input)), RunOrigin);
        var results = await waiter.WaitAllAsync(jobIds, cancellationToken).ConfigureAwait(false);
        var index = results.ToList().FindIndex(r => !r.Completed);
        if (index < 0)
        {
            return null;
        }

        var message = $"Removing old images stopped: {results[index].Message}";
        return new PhaseFailure(message, [new AppFailure(plan.Removals[index].AppUuid, message)]);
    }

    private static JsonElement WithForce(JsonElement input)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(input.GetRawText())!.AsObject();
        copy["force"] = true;
        return JsonSerializer.SerializeToElement(copy);
    }

    private static string Text(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    /// <summary>Why a phase stopped the apply: for the device, and per app.</summary>
    private sealed record PhaseFailure(string Message, IReadOnlyList<AppFailure> Apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply {JobId} started ({Reason}).")]
    private static partial void LogApplyStarted(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply {JobId} runs {Fetches} downloads, {Changes} service changes, {Removals} image removals; {Blocked} apps blocked.")]
    private static partial void LogPlan(ILogger logger, string jobId, int fetches, int changes, int removals, int blocked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply {JobId} has no plan to run (requeued after a restart, or replaced); it finished what it had begun.")]
    private static partial void LogNoPlan(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply {JobId} completed.")]
    private static partial void LogApplyCompleted(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Apply {JobId} did not complete: {Failure}")]
    private static partial void LogApplyFailed(ILogger logger, string jobId, string failure);
}
