namespace Supervisor.Workflows.Definitions;

public enum ReferenceRoot
{
    /// <summary><c>$.input</c>: the run's input.</summary>
    Input,

    /// <summary><c>$.activities.ID.output</c>: what an earlier activity produced.</summary>
    ActivityOutput,

    /// <summary><c>$.activities.ID.outcome</c>: the outcome an earlier activity ended with.</summary>
    ActivityOutcome,
}
