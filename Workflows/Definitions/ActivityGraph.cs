namespace Supervisor.Workflows.Definitions;

/// <summary>Which activity can follow which, through <c>next</c>, in a definition whose targets may not all exist.</summary>
internal sealed class ActivityGraph
{
    private readonly IReadOnlyDictionary<string, ActivityNode> activities;
    private readonly Dictionary<string, HashSet<string>> reachable = new(StringComparer.Ordinal);

    public ActivityGraph(IReadOnlyDictionary<string, ActivityNode> activities)
    {
        this.activities = activities;
    }

    /// <summary>The activities reached from <paramref name="from"/> in one step or more (so itself only through a loop).</summary>
    public IReadOnlySet<string> After(string from)
    {
        if (reachable.TryGetValue(from, out var known))
        {
            return known;
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Successors(from));
        while (pending.TryPop(out var id))
        {
            if (found.Add(id))
            {
                foreach (var successor in Successors(id))
                {
                    pending.Push(successor);
                }
            }
        }

        reachable[from] = found;
        return found;
    }

    private IEnumerable<string> Successors(string id) =>
        activities.TryGetValue(id, out var node) && node.Next is { } next
            ? next.Values.OfType<string>().Where(activities.ContainsKey)
            : [];
}
