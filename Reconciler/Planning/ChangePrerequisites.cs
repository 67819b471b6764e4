namespace Supervisor.Reconciler.Planning;

/// <summary>
/// Which earlier service changes of a plan each change must wait for, so that the executor may run the others side by
/// side: the plan's order stands between two changes of the same app when either is about the whole app (a network
/// or volume the services use), both are about one service, one service depends on the other, or both take the
/// app's update lock (they would only queue for it, and one that waited longer than <c>AppLockWait</c> would fail
/// <c>Busy</c>). Changes of different apps never wait for each other.
/// </summary>
public static class ChangePrerequisites
{
    /// <param name="takesAppLock">
    /// Whether a change's workflow takes the app's update lock: every <see cref="ReconcileStep.NeedsLock"/> one, and
    /// any other whose definition does (<c>remove-service</c> of a stopped container, or an operator's edit).
    /// </param>
    /// <returns>For each of <see cref="ReconcilePlan.ServiceChanges"/>, the indexes of the earlier ones it waits for.</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Of(ReconcilePlan plan, Func<ReconcileStep, bool> takesAppLock)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(takesAppLock);
        HashSet<(string AppUuid, string A, string B)> related = [];
        foreach (ServiceDependency dependency in plan.Dependencies)
        {
            related.Add((dependency.AppUuid, dependency.ServiceName, dependency.DependsOn));
            related.Add((dependency.AppUuid, dependency.DependsOn, dependency.ServiceName));
        }

        IReadOnlyList<ReconcileStep> steps = plan.ServiceChanges;
        bool[] locking = [.. steps.Select(s => s.NeedsLock || takesAppLock(s))];
        bool Ordered(int earlier, int later) =>
            steps[earlier].AppUuid == steps[later].AppUuid
            && (steps[earlier].ServiceName is not { } first || steps[later].ServiceName is not { } second
                || first == second
                || related.Contains((steps[later].AppUuid, first, second))
                || (locking[earlier] && locking[later]));

        return [.. steps.Select((_, later) => (IReadOnlyList<int>)[.. Enumerable.Range(0, later).Where(earlier => Ordered(earlier, later))])];
    }
}
