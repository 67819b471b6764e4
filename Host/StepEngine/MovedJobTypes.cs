using Hangfire.Common;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Resolves the type names of jobs stored by an earlier version, whose job classes have since moved
/// to another namespace or assembly. Hangfire stores each job's type by name; without this an apply
/// queued (or left processing by a power cut) before an upgrade would fail to load after it and be
/// lost, where it should simply run.
/// </summary>
public static class MovedJobTypes
{
    private static readonly Dictionary<string, Type> Moved = new(StringComparer.Ordinal)
    {
        // Until the reconciler became its own project, the apply job lived among the activities.
        ["Supervisor.Activities.Reconciler.ApplyJob, Supervisor.Activities"] = typeof(ApplyJob),
    };

    /// <summary>The type a stored name means: a moved job's new home, or whatever Hangfire itself resolves.</summary>
    public static Type Resolve(string typeName) =>
        Moved.TryGetValue(typeName, out var moved) ? moved : TypeHelper.DefaultTypeResolver(typeName);
}
