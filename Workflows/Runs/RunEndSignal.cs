namespace Supervisor.Workflows.Runs;

/// <summary>
/// Wakes whoever waits for runs to end (the apply job waiting for its downloads), so that it
/// looks again at once instead of on its next poll. It says only that some run ended: the waiter
/// checks the journal for the runs it cares about.
/// </summary>
public sealed class RunEndSignal : IRunEndListener
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task RunEndedAsync(string runId, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes when the next run ends. Take it before looking at the journal, then await it: a
    /// run that ends in between still wakes the waiter.
    /// </summary>
    public Task Next => Volatile.Read(ref _next).Task;
}
