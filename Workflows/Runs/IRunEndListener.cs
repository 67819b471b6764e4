namespace Supervisor.Workflows.Runs;

/// <summary>
/// Told when a run ends (Completed, Failed or Faulted), so that what an activity took for the run
/// (an app lock, say) is given back even when the run never reached the activity that gives it back.
/// </summary>
public interface IRunEndListener
{
    Task RunEndedAsync(string runId, CancellationToken cancellationToken);
}
