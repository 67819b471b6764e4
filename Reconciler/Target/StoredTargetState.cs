using Supervisor.Reconciler.Apply;

namespace Supervisor.Reconciler.Target;

/// <summary>The accepted target, where it came from (<c>local</c>, <c>cloud</c>) and when it was accepted.</summary>
/// <param name="Revision">
/// Counts the targets this process has known: 1 for the one found in the database at start, one more for each
/// save. The reconcile loop notes the revision it last planned from, so that a target no pass has seen yet can be
/// told apart from one it has (see <c>ApplySnapshot.PlannedRevision</c>).
/// </param>
public sealed record StoredTargetState(TargetState State, string Source, DateTimeOffset AcceptedAt, long Revision)
{
    /// <summary>The <see cref="Source"/> of a target posted to the device itself (<c>POST /v2/local/target-state</c>).</summary>
    public const string LocalSource = "local";

    /// <summary>A local target: as on balena, the volumes of apps it drops are kept.</summary>
    public bool IsLocal => Source == LocalSource;
}
