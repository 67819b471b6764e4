namespace Supervisor.Workflows.Activities;

/// <summary>What an activity knows of the run it is part of.</summary>
public sealed class ActivityContext
{
    public required string RunId { get; init; }

    public required string WorkflowId { get; init; }

    public required string ActivityId { get; init; }

    /// <summary>1 on the first try; higher when the activity runs again after a crash or restart.</summary>
    public required int Attempt { get; init; }
}
