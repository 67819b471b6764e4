namespace Supervisor.Reconciler.Planning;

/// <summary>
/// What to run to bring the device to its target, in three phases run one after the other: the executor stops
/// after a phase with a failed run, so nothing is killed before every new image is on the device, and no image is
/// removed before the containers that used it are gone.
/// </summary>
public sealed class ReconcilePlan
{
    /// <summary><c>fetch-image</c> runs for target images not yet recorded; safe to run while apps are locked.</summary>
    public IReadOnlyList<ReconcileStep> Fetches { get; init; } = [];

    /// <summary>Container changes: per app in target order, then apps no longer in the target.</summary>
    public IReadOnlyList<ReconcileStep> ServiceChanges { get; init; } = [];

    /// <summary><c>remove-image</c> runs for recorded images nothing needs any more.</summary>
    public IReadOnlyList<ReconcileStep> Removals { get; init; } = [];

    /// <summary>
    /// Which target services wait for which (<c>depends_on</c>, a shared network): with the plan's order, what
    /// <see cref="ChangePrerequisites"/> needs to tell which service changes may run side by side.
    /// </summary>
    public IReadOnlyList<ServiceDependency> Dependencies { get; init; } = [];

    /// <summary>Apps whose service changes were left out of this plan.</summary>
    public IReadOnlyList<BlockedApp> Blocked { get; init; } = [];

    /// <summary>
    /// No step in any phase. <see cref="Blocked"/> may still name apps: then there is nothing to run now, but the
    /// device is not at its target yet.
    /// </summary>
    public bool IsEmpty => Fetches.Count == 0 && ServiceChanges.Count == 0 && Removals.Count == 0;
}
