using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.TargetState;

namespace Supervisor.Activities.Reconciler;

/// <summary>
/// Decides when to apply. A pass reads the target, the engine and the database and plans; a
/// plan with work queues an <see cref="ApplyJob"/>, and one with none queues nothing and writes
/// nothing. Passes run when asked (<see cref="ApplyTrigger"/>: a new target, an apply that
/// ended, the API), on <see cref="ReconcilerOptions.Interval"/>, and, while the device stays
/// short of its target (a failed apply, an app whose updates are locked), after a backoff that
/// doubles with each attempt.
/// </summary>
public sealed partial class ReconcileLoop(
    TargetStateStore targets,
    CurrentStateReader reader,
    ApplyTrigger trigger,
    ForcedApply forced,
    ApplyStatus status,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcileLoop> logger) : BackgroundService
{
    /// <summary>The reason <see cref="ApplyTrigger"/> is given for a newly accepted target: it ends any backoff.</summary>
    public const string NewTarget = "new target";

    /// <summary>Applies queued since the device was last seen at its target; the backoff grows with it.</summary>
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
                nextPass = Retry(settings, time.GetUtcNow(), ex.Message);
            }

            reason = null;
        }
    }

    /// <returns>When the next pass is due if nothing asks for one sooner.</returns>
    private async Task<DateTimeOffset> PassAsync(string reason, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (reason == NewTarget)
        {
            // Before the check below: a target that comes during an apply is applied without
            // backoff once that apply ends.
            _attempts = 0;
        }

        if (status.Current is { Applying: true } applying)
        {
            if (applying.ApplyStartedAt is not { } since || now - since <= settings.ApplyStuckAfter)
            {
                // The apply under way asks for a pass when it ends.
                return now + settings.Interval;
            }

            // Its job never ran or never ended (deleted from the dashboard, say): plan again
            // rather than wait for it forever. /v1/healthy has been saying so meanwhile.
            LogApplyAbandoned(logger, since);
            status.Update(s => s with { Applying = false, ApplyStartedAt = null });
        }

        var stored = await targets.GetAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            status.Recovered();
            return now + settings.Interval;
        }

        if (stored.Revision > status.Current.PlannedRevision)
        {
            // A target no plan has seen is new, even if its "new target" request was merged into another one.
            _attempts = 0;
        }

        // A one-time override (POST /v1/update with force): this pass plans as if no user held a
        // lock, and its apply runs the lock-guarded workflows with force.
        var force = forced.TryTake();
        ReconcilePlan plan;
        try
        {
            var current = await reader.ReadAsync(stored.State, cancellationToken).ConfigureAwait(false);
            plan = ReconcilePlanner.Plan(stored.State, force ? current.WithoutLocks() : current);
        }
        catch (EngineException ex)
        {
            if (force)
            {
                forced.Request();
            }

            return Retry(settings, now, $"The engine could not be read: {ex.Message}");
        }

        // Each outcome below notes the revision planned in the same update as its decision, so that a reader
        // never sees the target as planned before it sees the apply queued for it.
        var revision = stored.Revision;
        if (plan.IsEmpty)
        {
            // Nothing to queue, so nothing of the supervisor's own failed in this pass.
            status.Recovered();
            if (plan.Blocked.Count == 0)
            {
                _attempts = 0;
                status.Update(s => s.Planned(revision) with { AtTarget = true, Blocked = [], NextAttemptAt = null, ConsecutiveFailures = 0 });
                return now + settings.Interval;
            }

            status.Update(s => s.Planned(revision) with { AtTarget = false, Blocked = plan.Blocked });
            return Retry(settings, now, null);
        }

        // Work again right after an apply: wait out the backoff first, unless a new target came.
        if (_attempts > 0 && status.Current.LastApplyEndedAt is { } ended && ended + settings.Backoff(_attempts) > now)
        {
            var due = ended + settings.Backoff(_attempts);
            status.Update(s => s.Planned(revision) with { AtTarget = false, NextAttemptAt = due });
            if (force)
            {
                forced.Request();
            }

            return due;
        }

        // Applying before the job exists: an apply job that starts at once must not find the flag
        // unset and then see the loop set it after its own end.
        status.Update(s => s.Planned(revision) with { Applying = true, ApplyStartedAt = now, AtTarget = false, ConsecutiveFailures = _attempts, NextAttemptAt = null });
        string jobId;
        try
        {
            jobId = jobs.Create(
                Job.FromExpression<ApplyJob>(j => j.ApplyAsync(reason, force, null, CancellationToken.None)),
                new EnqueuedState(ApplyJob.Queue));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Hangfire's storage refused the job (a full disk): no apply is under way, so no later
            // pass may wait for one. The loop tries again after the backoff, and is faulted meanwhile.
            status.Update(s => s with { Applying = false, ApplyStartedAt = null });
            if (force)
            {
                forced.Request();
            }

            LogQueueFailed(logger, ex);
            var fault = $"The apply could not be queued: {ex.Message}";
            status.Faulted(fault);
            return Retry(settings, now, fault);
        }

        _attempts++;
        LogApplyQueued(logger, jobId, reason, plan.Fetches.Count, plan.ServiceChanges.Count, plan.Removals.Count);
        return now + settings.Interval;
    }

    private DateTimeOffset Retry(ReconcilerOptions settings, DateTimeOffset now, string? error)
    {
        _attempts++;
        var due = now + settings.Backoff(_attempts);
        // A pass that failed itself failed for every app: no app keeps an older apply's cause as its own.
        status.Update(s => s with
        {
            AtTarget = false,
            LastError = error ?? s.LastError,
            FailedApps = error is null ? s.FailedApps : [],
            NextAttemptAt = due,
            ConsecutiveFailures = _attempts,
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
