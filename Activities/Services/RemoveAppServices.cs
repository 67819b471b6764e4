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
        var containers = await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false);
        var removed = await ServiceContainers.StopAndRemoveAsync(engine, containers, input.GracePeriod, cancellationToken).ConfigureAwait(false);
        return Completed(new RemoveService.Output { Removed = removed });
    }
}
