namespace Supervisor.Workflows.Runs;

/// <summary>
/// Folds the runs of one write behind into distinct runs, each with the ids of the later runs
/// that were the same run again (<see cref="SameRunComparer"/>). A check that refuses the same
/// request fifty times then costs the journal one run and a list of ids, while every run is still
/// accounted for by its id, and every id tells when its run was created.
/// </summary>
internal static class RepeatedRuns
{
    /// <summary>
    /// The furthest a repeat's creation may lie after the run it repeats. It bounds how far back
    /// a reader looks for the run that records a repeat's id.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most repeats one run records: its <c>repeat_ids</c> (33 bytes a repeat) is rewritten
    /// whole whenever repeats join it from a later batch, so it is kept to a few pages.
    /// </summary>
    public const int MaxRepeats = 500;

    /// <returns>
    /// The distinct runs in id order (creation order), each with its repeats' ids, in id order too.
    /// A run whose id carries no time (not version-7) is never folded: a reader could not find it.
    /// </returns>
    public static List<(RunToWrite First, List<string> RepeatIds)> Fold(IReadOnlyList<RunToWrite> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ordered = batch.ToArray();
        Array.Sort(ordered, static (x, y) => string.CompareOrdinal(x.Run.Id, y.Run.Id));
        var folded = new List<(RunToWrite First, List<string> RepeatIds)>();
        var open = new Dictionary<RunToWrite, (int Index, DateTimeOffset CreatedAt)>(SameRunComparer.Instance);
        foreach (var row in ordered)
        {
            if (!RunIds.TryGetCreatedAt(row.Run.Id, out var createdAt))
            {
                folded.Add((row, []));
                continue;
            }

            // Windows are measured between the ids' times, which are what a reader looking for a repeat's run has.
            if (open.TryGetValue(row, out var first)
                && createdAt - first.CreatedAt <= Window
                && folded[first.Index].RepeatIds.Count < MaxRepeats)
            {
                folded[first.Index].RepeatIds.Add(row.Run.Id);
                continue;
            }

            // The first of its kind, too long after the one it repeats or one too many for it: a run
            // of its own, which later repeats join.
            open[row] = (folded.Count, createdAt);
            folded.Add((row, []));
        }

        return folded;
    }
}
