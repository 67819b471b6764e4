namespace Supervisor.Bench.WorkflowCoreReference;

/// <summary>
/// Tells the benchmark that the last step of the chain ran. WorkflowCore has no "wait for this
/// instance" call; its lifecycle events go through a hub of their own and would add that hub's
/// latency to every measurement.
/// </summary>
public sealed class CompletionSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Arm()
    {
        _current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _current.Task;
    }

    public void Complete() => _current.TrySetResult();
}
