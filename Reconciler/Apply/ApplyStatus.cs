namespace Supervisor.Reconciler.Apply;

/// <summary>
/// What the reconcile loop is doing, for the state endpoints, the cloud report and the health
/// check. Only the loop and the apply job write it; readers get an immutable snapshot.
/// </summary>
public sealed class ApplyStatus(TimeProvider time)
{
    private ApplySnapshot _current = ApplySnapshot.Initial;

    public ApplySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after every change, for the cloud report (which decides itself when to send).</summary>
    public event EventHandler? Changed;

    /// <summary>The loop is alive: it marks each wake-up, so that a stuck loop can be told apart from an idle one.</summary>
    public void Heartbeat() => Update(s => s with { LoopAliveAt = time.GetUtcNow() });

    /// <summary>Records that the loop cannot apply because of <paramref name="fault"/>; a fault already recorded keeps its start.</summary>
    public void Faulted(string fault) =>
        Update(s => s with { Fault = fault, FaultSince = s.FaultSince ?? time.GetUtcNow() });

    /// <summary>The loop works again: a pass or an apply went through without a fault.</summary>
    public void Recovered()
    {
        if (Current.Fault is not null)
        {
            Update(s => s with { Fault = null, FaultSince = null });
        }
    }

    public void Update(Func<ApplySnapshot, ApplySnapshot> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        ApplySnapshot before, after;
        do
        {
            before = Current;
            after = change(before);
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before));

        Changed?.Invoke(this, EventArgs.Empty);
    }
}
