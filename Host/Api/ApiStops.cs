using Supervisor.Activities.TargetState;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api;

/// <summary>
/// A stop through the API marks its services in <see cref="ApiStoppedServices"/> before the run,
/// so that no reconcile pass can start them again between the stop and the mark; when the stop
/// does not complete, the services that were not marked before are unmarked again.
/// </summary>
public static class ApiStops
{
    public static async Task<IResult?> StopAsync(
        ApiStoppedServices stopped, string appUuid, IReadOnlyList<string> serviceNames, Func<Task<(WorkflowRun? Completed, IResult? Answer)>> run)
    {
        ArgumentNullException.ThrowIfNull(stopped);
        ArgumentNullException.ThrowIfNull(serviceNames);
        ArgumentNullException.ThrowIfNull(run);
        var before = stopped.Snapshot();
        foreach (var name in serviceNames)
        {
            stopped.Add(appUuid, name);
        }

        var (_, answer) = await run().ConfigureAwait(false);
        if (answer is not null)
        {
            foreach (var name in serviceNames.Where(n => !before.Contains((appUuid, n))))
            {
                stopped.Remove(appUuid, name);
            }
        }

        return answer;
    }
}
