using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Stops every running container of an app, each with the grace period. An app with no container
/// at all is <c>NotFound</c>, as for one service: there is nothing the caller could mean.
/// </summary>
[Description("Stops all of the app's running containers, honouring the stop grace period.")]
public sealed class StopAppServices(IDockerEngine engine) : WorkflowActivity<AppServicesInput, StopAppServices.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppServicesInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"App {input.AppUuid} has no container to stop.");
        }

        var stopped = await ServiceContainers.StopRunningAsync(engine, containers, input.GracePeriod, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { Stopped = stopped });
    }

    public sealed record Output
    {
        [Description("The containers that were running and are now stopped.")]
        public IReadOnlyList<string> Stopped { get; init; } = [];
    }
}
