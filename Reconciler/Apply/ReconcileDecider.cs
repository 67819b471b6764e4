using Supervisor.Reconciler.Planning;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// The reconcile loop's decisions, as pure functions of what a pass found, the status, the time and the
/// settings: when to apply, when to wait out the backoff, when the device is at its target. The loop
/// (<see cref="ReconcileLoop"/>) only reads, plans, acts on the decision and keeps
/// <see cref="PassDecision.Attempts"/> for the next one.
/// </summary>
public static class ReconcileDecider
{
    /// <summary>Whether a pass reads and plans, or leaves the apply under way to finish.</summary>
    public static ApplyGate Gate(ApplySnapshot status, DateTimeOffset now, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(settings);
        if (!status.Applying)
        {
            return ApplyGate.Read;
        }

        // An apply whose job never ran or never ended (deleted from the dashboard, say) is not waited for forever.
        return status.ApplyStartedAt is { } since && now - since > settings.ApplyStuckAfter
            ? ApplyGate.AbandonStuckApply
            : ApplyGate.AwaitApply;
    }

    /// <summary>The shape of <paramref name="plan"/>, as <see cref="Decide"/> takes it.</summary>
    public static PlanShape ShapeOf(ReconcilePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return !plan.IsEmpty ? PlanShape.Work
            : plan.Blocked.Count > 0 ? PlanShape.OnlyBlocked
            : PlanShape.Nothing;
    }

    /// <param name="shape">What the pass found.</param>
    /// <param name="attempts">The loop's attempts before this pass (<see cref="PassDecision.Attempts"/> of the last decision).</param>
    /// <param name="newTarget">
    /// A target no plan has seen came (the pass was asked for by a new target, or the stored revision is newer than
    /// <see cref="ApplySnapshot.PlannedRevision"/>): the attempts start again, so it is applied without backoff.
    /// </param>
    public static PassDecision Decide(PlanShape shape, int attempts, bool newTarget, ApplySnapshot status, DateTimeOffset now, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(settings);
        var before = newTarget ? 0 : attempts;
        switch (shape)
        {
            case PlanShape.NoTarget:
                return new PassDecision(PassAction.Wait, before, now + settings.Interval);
            case PlanShape.Nothing:
                return new PassDecision(PassAction.AtTarget, 0, now + settings.Interval);
            case PlanShape.OnlyBlocked:
                return After(PassAction.Blocked, before + 1, now, settings);
            case PlanShape.EngineUnreadable:
                return After(PassAction.Retry, before + 1, now, settings);
            case PlanShape.Work:
                // Work again right after an apply: wait out the backoff first, unless a new target came.
                if (before > 0 && status.LastApplyEndedAt is { } ended && ended + settings.Backoff(before) > now)
                {
                    return new PassDecision(PassAction.Backoff, before, ended + settings.Backoff(before));
                }

                // The apply under way asks for a pass when it ends; the interval is the fallback.
                return new PassDecision(PassAction.Apply, before + 1, now + settings.Interval);
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "Not a plan shape.");
        }
    }

    /// <summary>The apply decided on could not be queued (Hangfire's storage refused it): try again after the backoff.</summary>
    public static PassDecision QueueFailed(PassDecision apply, DateTimeOffset now, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(apply);
        return After(PassAction.Retry, apply.Attempts, now, settings);
    }

    /// <summary>A pass failed unexpectedly (its database, say): try again after the backoff.</summary>
    public static PassDecision PassFailed(int attempts, bool newTarget, DateTimeOffset now, ReconcilerOptions settings) =>
        After(PassAction.Retry, (newTarget ? 0 : attempts) + 1, now, settings);

    private static PassDecision After(PassAction action, int attempts, DateTimeOffset now, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PassDecision(action, attempts, now + settings.Backoff(attempts));
    }
}
