namespace Supervisor.Workflows.Runs;

/// <summary>
/// When the journal waits for the disk (<c>synchronous=FULL</c>) rather than only for the
/// operating system (<c>synchronous=NORMAL</c>, WAL mode). Both survive the supervisor being
/// killed; they differ only on a power cut or kernel crash.
/// </summary>
public enum JournalFlush
{
    /// <summary>
    /// Every activity boundary is on disk before the next activity starts: after a power cut, at
    /// most the one activity that was running runs again. Costs one flush (0.3–3 ms here) per activity.
    /// </summary>
    EveryActivity,

    /// <summary>
    /// A run's creation and its end are on disk; the boundaries between its activities reach the
    /// disk with the next flush. After a power cut, the activities since the last flush run again
    /// (they are idempotent by contract); the database stays consistent.
    /// </summary>
    RunStartAndEnd,
}
