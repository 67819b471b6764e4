using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Apply;

/// <summary>The reconcile loop's state at one moment (see <see cref="ApplyStatus"/>).</summary>
/// <param name="Applying">An apply is queued or running.</param>
/// <param name="AtTarget">The last pass found nothing to do and nothing blocked: the device runs its target.</param>
/// <param name="LastError">Why the last apply failed; null after one that completed.</param>
/// <param name="Blocked">Apps the last pass left alone, and why ("updates locked").</param>
/// <param name="Fetches">Image downloads of the apply under way, each with the Hangfire job running it.</param>
/// <param name="ConsecutiveFailures">Applies that failed in a row; the backoff grows with it.</param>
/// <param name="NextAttemptAt">When the loop tries again after a failure or a block.</param>
/// <param name="LoopAliveAt">The loop's last wake-up.</param>
/// <param name="LastAppliedAt">When an apply last completed.</param>
/// <param name="ApplyStartedAt">When the apply under way was queued (then started); null when none is.</param>
/// <param name="LastApplyEndedAt">When an apply last ended, completed or not: the backoff counts from it.</param>
/// <param name="Passes">Passes the loop has made since the supervisor started.</param>
/// <param name="Fault">
/// Why the loop cannot apply for a reason that is not the device's (its storage or Hangfire's
/// failed: a full disk, a damaged database), or null. Set by a pass that crashed, an apply that
/// could not be queued and an apply that threw; cleared by a pass that found nothing to do and by
/// an apply that ended without throwing.
/// </param>
/// <param name="FaultSince">When <paramref name="Fault"/> was first seen, in a row of faults.</param>
public sealed record ApplySnapshot(
    bool Applying,
    bool AtTarget,
    string? LastError,
    IReadOnlyList<BlockedApp> Blocked,
    IReadOnlyList<FetchInProgress> Fetches,
    int ConsecutiveFailures,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LoopAliveAt,
    DateTimeOffset? LastAppliedAt,
    DateTimeOffset? ApplyStartedAt = null,
    DateTimeOffset? LastApplyEndedAt = null,
    long Passes = 0,
    string? Fault = null,
    DateTimeOffset? FaultSince = null)
{
    public static ApplySnapshot Initial { get; } = new(false, false, null, [], [], 0, null, null, null);

    /// <summary>
    /// The newest target revision a pass or an apply has planned from (<see cref="StoredTargetState.Revision"/>);
    /// 0 before any. A stored target of a higher revision is pending: accepted, answered 200, but not yet seen by a
    /// plan, so <see cref="Applying"/> does not know of it yet.
    /// </summary>
    public long PlannedRevision { get; init; }

    /// <summary>
    /// Per app, what the last apply failed at and why; empty after one that completed. <see cref="LastError"/> says
    /// it for the device; this lets each app show its own cause.
    /// </summary>
    public IReadOnlyList<AppFailure> FailedApps { get; init; } = [];

    /// <summary>Notes that a plan was made from <paramref name="revision"/>: it is no longer pending.</summary>
    public ApplySnapshot Planned(long revision) => revision > PlannedRevision ? this with { PlannedRevision = revision } : this;
}
