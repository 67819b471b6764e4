using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Hosts the reconcile passes. A pass reads the target, the engine and the database and plans;
/// <see cref="ReconcileDecider"/> decides what follows. A plan with work is handed to the
/// <see cref="ApplyJob"/> it queues (<see cref="PlannedApplies"/>), which runs it without
/// planning again; one with none queues nothing and writes nothing. Passes run when asked (<see cref="ApplyTrigger"/>: a new target, an apply that
/// ended, the API), on <see cref="ReconcilerOptions.Interval"/>, and, while the device stays
/// short of its target (a failed apply, an app whose updates are locked), after a backoff that
/// doubles with each attempt.
/// </summary>
public sealed partial class ReconcileLoop(
    TargetStateStore targets,
    CurrentStateReader reader,
    ApplyTrigger trigger,
    ForcedApply forced,
    PlannedApplies plans,
    ApplyStatus status,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcileLoop> logger) : BackgroundService
{
    /// <summary>The reason <see cref="ApplyTrigger"/> is given for a newly accepted target: it ends any backoff.</summary>
    public const string NewTarget = "new target";

    /// <summary>
    /// Applies queued and passes failed since the device was last seen at its target; the backoff grows with it.
    /// Only <see cref="Adopt"/> changes it, to what <see cref="ReconcileDecider"/> decided.
    /// </summary>
    private int _attempts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogPaused(logger);
            return;
        }

        void OnAccepted(object? sender, EventArgs e) => trigger.Request(NewTarget);
        targets.Accepted += OnAccepted;
        using var unsubscribe = stoppingToken.Register(() => targets.Accepted -= OnAccepted);
        var nextPass = time.GetUtcNow();
        string? reason = "startup";

        // An apply cut short by a crash is queued again before the loop starts; it finishes what
        // it began before anything new is planned, so the loop waits for it rather than queueing
        // a second apply that could run first.
        if (storage.GetMonitoringApi().EnqueuedCount(ApplyJob.Queue) > 0)
        {
            status.Update(s => s with { Applying = true, ApplyStartedAt = time.GetUtcNow() });
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            if (reason is null)
            {
                status.Heartbeat();
                var wait = nextPass - time.GetUtcNow();
                reason = await trigger.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken).ConfigureAwait(false);
                if (reason is null && time.GetUtcNow() < nextPass)
                {
                    continue;
                }

                reason ??= "interval";
            }

            status.Heartbeat();
            try
            {
                nextPass = await PassAsync(reason, settings, stoppingToken).ConfigureAwait(false);
                status.Update(s => s with { Passes = s.Passes + 1 });
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The loop must outlive any one pass: a database or target problem is logged,
                // shown in the status, and tried again after the backoff.
                LogPassCrashed(logger, ex);
                status.Faulted($"A reconcile pass failed: {ex.Message}");
                nextPass = Retry(ReconcileDecider.PassFailed(_attempts, reason == NewTarget, time.GetUtcNow(), settings), ex.Message);
            }

            reason = null;
        }
    }

    /// <returns>When the next pass is due if nothing asks for one sooner.</returns>
    private async Task<DateTimeOffset> PassAsync(string reason, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (ReconcileDecider.Gate(status.Current, now, settings))
        {
            case ApplyGate.AwaitApply:
                return now + settings.Interval;
            case ApplyGate.AbandonStuckApply:
                // /v1/healthy has been saying so meanwhile.
                LogApplyAbandoned(logger, status.Current.ApplyStartedAt!.Value);
                status.Update(s => s with { Applying = false, ApplyStartedAt = null });
                break;
        }

        var stored = await targets.GetAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            status.Recovered();
            return Adopt(ReconcileDecider.Decide(PlanShape.NoTarget, _attempts, reason == NewTarget, status.Current, now, settings)).Due;
        }

        // A target no plan has seen is new, even if its "new target" request was merged into another one.
        var newTarget = reason == NewTarget || stored.Revision > status.Current.PlannedRevision;

        // A one-time override (POST /v1/update with force): this pass plans as if no user held a
        // lock, and its apply runs the lock-guarded workflows with force. A pass that queues no
        // apply hands it on to the next.
        var force = forced.TryTake();
        ReconcilePlan? plan = null;
        string? unreadable = null;
        try
        {
            var current = await reader.ReadAsync(stored.State, cancellationToken).ConfigureAwait(false);
            plan = ReconcilePlanner.Plan(stored.State, force ? current.WithoutLocks() : current, keepVolumes: stored.IsLocal);
        }
        catch (EngineException ex)
        {
            unreadable = $"The engine could not be read: {ex.Message}";
        }

        var decision = ReconcileDecider.Decide(plan is null ? PlanShape.EngineUnreadable : ReconcileDecider.ShapeOf(plan), _attempts, newTarget, status.Current, now, settings);

        // Each outcome below notes the revision planned in the same update as its decision, so that a reader
        // never sees the target as planned before it sees the apply queued for it.
        var revision = stored.Revision;
        switch (decision.Action)
        {
            case PassAction.AtTarget:
                // Nothing to queue, so nothing of the supervisor's own failed in this pass.
                status.Update(s => s.Planned(revision) with { AtTarget = true, Blocked = [], NextAttemptAt = null, ConsecutiveFailures = 0, Fault = null, FaultSince = null });
                return Adopt(decision).Due;
            case PassAction.Blocked:
                status.Update(s => s.Planned(revision) with { AtTarget = false, Blocked = plan!.Blocked, Fault = null, FaultSince = null });
                return Retry(decision, null);
            case PassAction.Retry:
                HandOn(force);
                return Retry(decision, unreadable);
            case PassAction.Backoff:
                status.Update(s => s.Planned(revision) with { AtTarget = false, NextAttemptAt = decision.Due });
                HandOn(force);
                return Adopt(decision).Due;
            case PassAction.Apply:
                return Queue(new PlannedApply(Guid.CreateVersion7(now).ToString("N"), plan!, revision, force, now), decision, reason, settings);
            default:
                return Adopt(decision).Due;
        }
    }

    /// <summary>Queues the apply of <paramref name="planned"/>: the job runs this plan, it does not plan again.</summary>
    private DateTimeOffset Queue(PlannedApply planned, PassDecision decision, string reason, ReconcilerOptions settings)
    {
        var now = time.GetUtcNow();
        var plan = planned.Plan;

        // Applying before the job exists: an apply job that starts at once must not find the flag
        // unset and then see the loop set it after its own end.
        status.Update(s => s.Planned(planned.Revision) with
        {
            Applying = true,
            ApplyStartedAt = now,
            AtTarget = false,
            Blocked = plan.Blocked,
            ConsecutiveFailures = decision.ConsecutiveFailures ?? s.ConsecutiveFailures,
            NextAttemptAt = null,
        });
        plans.Offer(planned);
        string jobId;
        try
        {
            var (planId, withForce) = (planned.Id, planned.Force);
            jobId = jobs.Create(
                Job.FromExpression<ApplyJob>(j => j.ApplyAsync(planId, reason, withForce, null, CancellationToken.None)),
                new EnqueuedState(ApplyJob.Queue));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Hangfire's storage refused the job (a full disk): no apply is under way, so no later
            // pass may wait for one. The loop tries again after the backoff, and is faulted meanwhile.
            plans.Withdraw(planned.Id);
            status.Update(s => s with { Applying = false, ApplyStartedAt = null });
            HandOn(planned.Force);
            LogQueueFailed(logger, ex);
            var fault = $"The apply could not be queued: {ex.Message}";
            status.Faulted(fault);
            return Retry(ReconcileDecider.QueueFailed(decision, now, settings), fault);
        }

        Adopt(decision);
        LogApplyQueued(logger, jobId, reason, plan.Fetches.Count, plan.ServiceChanges.Count, plan.Removals.Count);
        return decision.Due;
    }

    /// <summary>A forced pass that queued no apply leaves the override to the next pass.</summary>
    private void HandOn(bool force)
    {
        if (force)
        {
            forced.Request();
        }
    }

    /// <summary>The one place the loop's attempts change: it keeps what the decision says.</summary>
    private PassDecision Adopt(PassDecision decision)
    {
        _attempts = decision.Attempts;
        return decision;
    }

    /// <summary>Shows a decision to try again after the backoff in the status.</summary>
    private DateTimeOffset Retry(PassDecision decision, string? error)
    {
        Adopt(decision);
        var due = decision.Due;
        // A pass that failed itself failed for every app: no app keeps an older apply's cause as its own.
        status.Update(s => s with
        {
            AtTarget = false,
            LastError = error ?? s.LastError,
            FailedApps = error is null ? s.FailedApps : [],
            NextAttemptAt = due,
            ConsecutiveFailures = decision.Attempts,
        });
        if (error is not null)
        {
            LogPassFailed(logger, error, due);
        }

        return due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply job {JobId} queued ({Reason}): {Fetches} downloads, {Changes} service changes, {Removals} image removals.")]
    private static partial void LogApplyQueued(ILogger logger, string jobId, string reason, int fetches, int changes, int removals);

    [LoggerMessage(Level = LogLevel.Error, Message = "The apply could not be queued; the loop tries again after the backoff.")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A reconcile pass failed unexpectedly; the loop tries again after the backoff.")]
    private static partial void LogPassCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The apply queued or started at {Since:O} has not ended within ApplyStuckAfter; planning again.")]
    private static partial void LogApplyAbandoned(ILogger logger, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying is paused (Supervisor:Reconciler:Enabled is false): targets are stored but not applied.")]
    private static partial void LogPaused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile pass failed: {Error}. Next attempt at {Due:O}.")]
    private static partial void LogPassFailed(ILogger logger, string error, DateTimeOffset due);
}
