using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Stops (with the grace period) and removes every container of an app, without force and keeping
/// volumes. An app with nothing left counts as done, so running it again after a crash succeeds.
/// </summary>
[Description("Stops and removes all of the app's containers (volumes are kept).")]
public sealed class RemoveAppServices(IDockerEngine engine) : WorkflowActivity<AppServicesInput, RemoveService.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppServicesInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var container in await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (container.Running)
                {
                    await engine.StopContainerAsync(container.Id, input.GracePeriod, cancellationToken).ConfigureAwait(false);
                }

                await engine.RemoveContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                removed.Add(container.Id);
            }
            catch (EngineNotFoundException)
            {
                // Removed already, by an earlier attempt or by hand.
            }
        }

        return Completed(new RemoveService.Output { Removed = removed });
    }
}
