using System.Collections.Concurrent;

namespace Supervisor.Activities.TargetState;

/// <summary>
/// Services a user stopped through the device API. The reconciler leaves them stopped until a new
/// release of their app arrives; the set lives in memory only, so a supervisor restart ends the
/// stop (balena's documented behaviour).
/// </summary>
/// <remarks>
/// A stop marks its services before it stops them (<see cref="MarkForRun"/>), so that no reconcile pass can start
/// them again between the stop and the mark; the run keeps its marks when it reaches <see cref="KeepForRun"/>, and
/// when it ends without reaching it (locked, failed, faulted) the marks it added are taken back
/// (<see cref="ApiStopRunEnd"/>).
/// </remarks>
public sealed class ApiStoppedServices
{
    private readonly ConcurrentDictionary<(string AppUuid, string ServiceName), byte> _stopped = new();
    private readonly ConcurrentDictionary<string, (string AppUuid, string ServiceName)[]> _pending = new(StringComparer.Ordinal);

    public void Add(string appUuid, string serviceName) => _stopped[(appUuid, serviceName)] = 0;

    public void Remove(string appUuid, string serviceName) => _stopped.TryRemove((appUuid, serviceName), out _);

    /// <summary>Marks the services for run <paramref name="runId"/>: those not marked before are taken back if the run does not keep them.</summary>
    public void MarkForRun(string runId, string appUuid, IEnumerable<string> serviceNames)
    {
        ArgumentNullException.ThrowIfNull(serviceNames);
        (string, string)[] added = [.. serviceNames.Where(name => _stopped.TryAdd((appUuid, name), 0)).Select(name => (appUuid, name))];
        _pending.AddOrUpdate(runId, added, (_, earlier) => [.. earlier, .. added]);
    }

    /// <summary>Run <paramref name="runId"/> did what it marked its services for: the marks stay.</summary>
    public void KeepForRun(string runId) => _pending.TryRemove(runId, out _);

    /// <summary>Run <paramref name="runId"/> ended: the marks it added and did not keep are taken back.</summary>
    public void RunEnded(string runId)
    {
        if (_pending.TryRemove(runId, out var added))
        {
            foreach (var (appUuid, serviceName) in added)
            {
                Remove(appUuid, serviceName);
            }
        }
    }

    /// <summary>A copy: the planner reads a set that does not change under it.</summary>
    public IReadOnlySet<(string AppUuid, string ServiceName)> Snapshot() => _stopped.Keys.ToHashSet();
}
