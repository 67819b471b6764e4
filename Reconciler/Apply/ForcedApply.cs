namespace Supervisor.Reconciler.Apply;

/// <summary>
/// A one-shot lock override: <c>POST /v1/update {"force": true}</c> sets it, and the reconcile
/// loop takes it for its next pass, running that pass's lock-guarded workflows with
/// <c>force</c>, so a user's update lock gives way once (balena's one-time override).
/// </summary>
public sealed class ForcedApply
{
    private int _requested;

    public void Request() => Volatile.Write(ref _requested, 1);

    /// <summary>True once after <see cref="Request"/>: the pass that takes it runs forced.</summary>
    public bool TryTake() => Interlocked.Exchange(ref _requested, 0) == 1;
}
