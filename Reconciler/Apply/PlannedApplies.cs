namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Hands the plan the reconcile loop made to the <see cref="ApplyJob"/> it queued for it, in memory: the job runs
/// the plan it is given, so the device is read and planned once per apply. It holds one plan, since one apply runs
/// at a time; a plan offered replaces the one before, whose job (abandoned as stuck) then finds nothing to run.
/// After a restart it is empty: a job requeued at startup finishes what it had begun and plans nothing, and the
/// loop plans afresh from the device of that moment rather than from a plan made before the crash.
/// </summary>
public sealed class PlannedApplies
{
    private PlannedApply? _offered;

    public void Offer(PlannedApply planned) => Volatile.Write(ref _offered, planned);

    /// <summary>
    /// The plan named <paramref name="id"/>, once; null when it was replaced, taken already, made before a restart,
    /// or made before an apply that ended at <paramref name="lastApplyEndedAt"/>: a job queued behind one abandoned as
    /// stuck must not run, when that one finally ends, a plan of the device as it was before it.
    /// </summary>
    public PlannedApply? TryTake(string id, DateTimeOffset? lastApplyEndedAt)
    {
        var offered = Volatile.Read(ref _offered);
        if (offered is null || offered.Id != id || Interlocked.CompareExchange(ref _offered, null, offered) != offered)
        {
            return null;
        }

        return lastApplyEndedAt is { } ended && ended > offered.PlannedAt ? null : offered;
    }

    /// <summary>Forgets the plan named <paramref name="id"/>: its job could not be queued.</summary>
    public void Withdraw(string id)
    {
        var offered = Volatile.Read(ref _offered);
        if (offered is not null && offered.Id == id)
        {
            Interlocked.CompareExchange(ref _offered, null, offered);
        }
    }
}
