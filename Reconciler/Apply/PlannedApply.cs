using Supervisor.Reconciler.Planning;

namespace Supervisor.Reconciler.Apply;

/// <summary>A plan the reconcile loop made and queued an <see cref="ApplyJob"/> for.</summary>
/// <param name="Id">The job's argument naming this plan.</param>
/// <param name="Plan">The steps to run.</param>
/// <param name="Revision">The target revision planned from.</param>
/// <param name="Force">Users' update locks give way this once (<c>POST /v1/update</c> with <c>force</c>): the plan ignored them, and the lock-guarded workflows run with <c>force</c>.</param>
/// <param name="PlannedAt">When the device was read for it: an apply that ended later changed the device under it.</param>
public sealed record PlannedApply(string Id, ReconcilePlan Plan, long Revision, bool Force, DateTimeOffset PlannedAt);
