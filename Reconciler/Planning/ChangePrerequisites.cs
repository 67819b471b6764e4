namespace Supervisor.Reconciler.Planning;

/// <summary>
/// Which earlier service changes of a plan each change must wait for, so that the executor may run the others side by
/// side: the plan's order stands between two changes of the same app when either is about the whole app (a network
/// or volume the services use), both are about one service, one service depends on the other, or both take the
/// app's update lock (they would only queue for it). Changes of different apps never wait for each other.
/// </summary>
public static class ChangePrerequisites
{
    /// <returns>For each of <see cref="ReconcilePlan.ServiceChanges"/>, the indexes of the earlier ones it waits for.</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Of(ReconcilePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        HashSet<(string AppUuid, string A, string B)> related = [];
        foreach (ServiceDependency dependency in plan.Dependencies)
        {
            related.Add((dependency.AppUuid, dependency.ServiceName, dependency.DependsOn));
            related.Add((dependency.AppUuid, dependency.DependsOn, dependency.ServiceName));
        }

        bool Ordered(ReconcileStep earlier, ReconcileStep later) =>
            earlier.AppUuid == later.AppUuid
            && (earlier.ServiceName is null || later.ServiceName is null
                || earlier.ServiceName == later.ServiceName
                || related.Contains((later.AppUuid, earlier.ServiceName, later.ServiceName))
                || (earlier.NeedsLock && later.NeedsLock));

        IReadOnlyList<ReconcileStep> steps = plan.ServiceChanges;
        return [.. steps.Select((later, index) => (IReadOnlyList<int>)[.. Enumerable.Range(0, index).Where(i => Ordered(steps[i], later))])];
    }
}
