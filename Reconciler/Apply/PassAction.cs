namespace Supervisor.Reconciler.Apply;

/// <summary>What the reconcile loop does after a pass (see <see cref="ReconcileDecider"/>).</summary>
public enum PassAction
{
    /// <summary>Nothing to do until the next interval: no target, or an apply under way that asks for a pass when it ends.</summary>
    Wait,

    /// <summary>The device runs its target; the attempts start again from zero.</summary>
    AtTarget,

    /// <summary>Nothing can run now because users hold update locks; look again after the backoff.</summary>
    Blocked,

    /// <summary>The pass failed (the engine, the database, Hangfire's storage); try again after the backoff.</summary>
    Retry,

    /// <summary>There is work, but an apply ended too recently: wait out the backoff first.</summary>
    Backoff,

    /// <summary>Queue the apply of this plan now.</summary>
    Apply,
}
