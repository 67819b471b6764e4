using System.Collections.Concurrent;

namespace Supervisor.Activities.TargetState;

/// <summary>
/// Services a user stopped through the device API. The reconciler leaves them stopped until a new
/// release of their app arrives; the set lives in memory only, so a supervisor restart ends the
/// stop (balena's documented behaviour).
/// </summary>
public sealed class ApiStoppedServices
{
    private readonly ConcurrentDictionary<(string AppUuid, string ServiceName), byte> _stopped = new();

    public void Add(string appUuid, string serviceName) => _stopped[(appUuid, serviceName)] = 0;

    public void Remove(string appUuid, string serviceName) => _stopped.TryRemove((appUuid, serviceName), out _);

    /// <summary>A copy: the planner reads a set that does not change under it.</summary>
    public IReadOnlySet<(string AppUuid, string ServiceName)> Snapshot() => _stopped.Keys.ToHashSet();
}
