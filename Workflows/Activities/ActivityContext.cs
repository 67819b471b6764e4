namespace Supervisor.Workflows.Activities;

/// <summary>What an activity knows of the run it is part of.</summary>
public sealed class ActivityContext
{
    public required string RunId { get; init; }

    public required string WorkflowId { get; init; }

    public required string ActivityId { get; init; }

    /// <summary>1 on the first try; higher when the activity runs again after a crash or restart.</summary>
    public required int Attempt { get; init; }

    /// <summary>Where a long activity reports how far it got; the runs API shows the latest report while the run goes on.</summary>
    public IProgress<object> Progress { get; init; } = new Progress<object>();

    /// <summary>Set by the runner: writes the run to disk if it is not there yet.</summary>
    internal Func<CancellationToken, Task> WriteAhead { get; init; } = _ => Task.CompletedTask;

    /// <summary>
    /// Makes sure the run is on disk before the activity goes on. An activity marked
    /// <see cref="WithoutWriteAheadAttribute"/> calls this before it changes anything or waits;
    /// for any other activity the run is already written and this returns at once.
    /// </summary>
    public Task WriteAheadAsync(CancellationToken cancellationToken) => WriteAhead(cancellationToken);
}
