namespace Supervisor.Workflows.Runs;

/// <summary>
/// Runs the writer behind wrote in earlier batches that later runs, the same but for their ids
/// and times, may still join as repeats: an app that retries a refused action every few seconds
/// then costs the journal one run a minute, not one per retry. A run stays open to repeats while
/// its repeats stay within <see cref="RepeatedRuns.Window"/> of it (so that a reader still finds
/// it from a repeat's id) and number at most <see cref="RepeatedRuns.MaxRepeats"/> (so that
/// adding to it stays cheap). Used by the writer behind only, one batch at a time; it learns of
/// each run as the batch writes it, and forgets everything if the batch does not commit.
/// </summary>
internal sealed class RepeatTargets
{
    private readonly Dictionary<RunToWrite, Target> _open = new(SameRunComparer.Instance);

    /// <summary>
    /// The run that <paramref name="count"/> more runs like <paramref name="first"/> (the first of
    /// them by id), the last created at <paramref name="lastCreatedAt"/>, can join; null if none
    /// can. A run created before the open one (it ended later) cannot: a reader looks for a
    /// repeat's run among those created before it.
    /// </summary>
    public string? Find(RunToWrite first, DateTimeOffset lastCreatedAt, int count) =>
        _open.TryGetValue(first, out var target)
        && string.CompareOrdinal(first.Run.Id, target.Id) > 0
        && lastCreatedAt - target.CreatedAt <= RepeatedRuns.Window
        && target.Repeats + count <= RepeatedRuns.MaxRepeats
            ? target.Id
            : null;

    /// <summary>Records that <paramref name="count"/> runs like <paramref name="first"/> joined the open run <paramref name="runId"/>.</summary>
    public void Joined(RunToWrite first, string runId, int count)
    {
        if (_open.TryGetValue(first, out var target) && string.Equals(target.Id, runId, StringComparison.Ordinal))
        {
            target.Repeats += count;
        }
    }

    /// <summary>Records a run written with <paramref name="repeats"/> repeats: later ones like it join it.</summary>
    public void Written(RunToWrite first, int repeats)
    {
        _open.Remove(first);
        _open.Add(first, new Target(first.Run.Id, RunIds.TimeOf(first.Run.Id), repeats));
    }

    /// <summary>Closes the runs that no run created at <paramref name="now"/> or later could join.</summary>
    public void Expire(DateTimeOffset now)
    {
        foreach (var (run, target) in _open)
        {
            if (now - target.CreatedAt > RepeatedRuns.Window)
            {
                _open.Remove(run);
            }
        }
    }

    /// <summary>
    /// Forgets every open run, after a batch that did not commit (the runs it wrote or added to
    /// may not be there): what the targets learnt during a batch holds only once it commits.
    /// </summary>
    public void Clear() => _open.Clear();

    private sealed class Target(string id, DateTimeOffset createdAt, int repeats)
    {
        public string Id { get; } = id;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public int Repeats { get; set; } = repeats;
    }
}
