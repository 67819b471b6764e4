namespace Supervisor.Reconciler.Current;

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
    private readonly Lock _gate = new();

    /// <summary>Services whose stop went through: they stay stopped until a start or a new release.</summary>
    private readonly HashSet<(string AppUuid, string ServiceName)> _kept = [];

    /// <summary>
    /// Per run under way, the services it marked. Each run's marks are its own, so a stop that ends
    /// Locked takes back only its own, never those of another stop of the same service that went through.
    /// </summary>
    private readonly Dictionary<string, List<(string AppUuid, string ServiceName)>> _pending = new(StringComparer.Ordinal);

    public void Add(string appUuid, string serviceName)
    {
        lock (_gate)
        {
            _kept.Add((appUuid, serviceName));
        }
    }

    public void Remove(string appUuid, string serviceName)
    {
        lock (_gate)
        {
            _kept.Remove((appUuid, serviceName));
        }
    }

    /// <summary>Marks the services for run <paramref name="runId"/>, until the run keeps the marks or ends.</summary>
    public void MarkForRun(string runId, string appUuid, IEnumerable<string> serviceNames)
    {
        ArgumentNullException.ThrowIfNull(serviceNames);
        lock (_gate)
        {
            if (!_pending.TryGetValue(runId, out var marked))
            {
                _pending[runId] = marked = [];
            }

            marked.AddRange(serviceNames.Select(name => (appUuid, name)));
        }
    }

    /// <summary>Run <paramref name="runId"/> did what it marked its services for: the marks stay.</summary>
    public void KeepForRun(string runId)
    {
        lock (_gate)
        {
            if (_pending.Remove(runId, out var marked))
            {
                _kept.UnionWith(marked);
            }
        }
    }

    /// <summary>Run <paramref name="runId"/> ended: the marks it made and did not keep are taken back.</summary>
    public void RunEnded(string runId)
    {
        lock (_gate)
        {
            _pending.Remove(runId);
        }
    }

    /// <summary>A copy: the planner reads a set that does not change under it.</summary>
    public IReadOnlySet<(string AppUuid, string ServiceName)> Snapshot()
    {
        lock (_gate)
        {
            var all = new HashSet<(string AppUuid, string ServiceName)>(_kept);
            foreach (var marked in _pending.Values)
            {
                all.UnionWith(marked);
            }

            return all;
        }
    }
}
