using System.Text.Json;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// Starts a run in this process and waits for it up to a limit, as an Elsa HTTP workflow does.
/// A run still going at the limit carries on in the background; the host's shutdown interrupts
/// it, and the next start resumes it from the journal. The run is written to the journal before
/// its first activity that may change something, so a run refused by a check (a user's update
/// lock) is answered without waiting for the disk.
/// </summary>
public sealed class RunLauncher(WorkflowRunner runner, IHostApplicationLifetime lifetime)
{
    /// <returns>The run's id, and the run when it ended within <paramref name="wait"/>.</returns>
    public async Task<(string RunId, WorkflowRun? Ended)> StartAsync(WorkflowDefinition definition, JsonElement input, string origin, TimeSpan wait, CancellationToken cancellationToken)
    {
        var (runId, execution) = Start(definition, input, origin);
        if (wait > TimeSpan.Zero)
        {
            try
            {
                return (runId, await execution.WaitAsync(wait, cancellationToken).ConfigureAwait(false));
            }
            catch (TimeoutException)
            {
                // Still running: the caller answers 202 and the run goes on.
            }
        }

        return (runId, null);
    }

    /// <summary>Starts the run without waiting: its id, and its execution, which ends with the run.</summary>
    public (string RunId, Task<WorkflowRun> Execution) Start(WorkflowDefinition definition, JsonElement input, string origin) =>
        runner.Start(definition, input, origin, lifetime.ApplicationStopping);
}
