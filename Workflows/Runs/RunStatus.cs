namespace Supervisor.Workflows.Runs;

public enum RunStatus
{
    /// <summary>Recorded, no activity started yet.</summary>
    Pending,

    /// <summary>An activity has started and the run has not ended (or was interrupted by a crash).</summary>
    Running,

    /// <summary>Reached an end through the definition's outcomes.</summary>
    Completed,

    /// <summary>An activity decided the run failed, with a reason (e.g. <c>Locked</c>, <c>NotFound</c>).</summary>
    Failed,

    /// <summary>An activity threw: the message says what went wrong.</summary>
    Faulted,
}
