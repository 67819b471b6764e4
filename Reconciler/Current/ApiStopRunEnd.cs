using Supervisor.Workflows.Runs;

namespace Supervisor.Reconciler.Current;

/// <summary>
/// When a run ends, takes back the API-stop marks it made and did not keep (<see cref="ApiStoppedServices"/>):
/// a stop that was locked, failed or faulted leaves the service to the reconciler, as before it.
/// </summary>
public sealed class ApiStopRunEnd(ApiStoppedServices stopped) : IRunEndListener
{
    public Task RunEndedAsync(string runId, CancellationToken cancellationToken)
    {
        stopped.RunEnded(runId);
        return Task.CompletedTask;
    }
}
