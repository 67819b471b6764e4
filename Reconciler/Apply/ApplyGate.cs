namespace Supervisor.Reconciler.Apply;

/// <summary>Whether a pass may read and plan, given the apply that may be under way (see <see cref="ReconcileDecider.Gate"/>).</summary>
public enum ApplyGate
{
    /// <summary>No apply is under way: read and plan.</summary>
    Read,

    /// <summary>An apply is under way and asks for a pass when it ends: read nothing now.</summary>
    AwaitApply,

    /// <summary>An apply has been under way longer than <see cref="ReconcilerOptions.ApplyStuckAfter"/>: give up on it, then read and plan.</summary>
    AbandonStuckApply,
}
