using System.Diagnostics;

namespace Supervisor.Bench.Measurements;

/// <summary>When <see cref="StartStamp"/> last ran, for the measurement waiting on it.</summary>
public sealed class StartStamps
{
    private TaskCompletionSource<long> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes with the <see cref="Stopwatch"/> timestamp of the next start.</summary>
    public Task<long> Arm()
    {
        _next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _next.Task;
    }

    public void Record() => _next.TrySetResult(Stopwatch.GetTimestamp());
}
