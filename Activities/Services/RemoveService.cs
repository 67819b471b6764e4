using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Stops (with the grace period) and removes a service's containers, never with force and
/// keeping its volumes. A service with no container left counts as removed.
/// </summary>
[Description("Stops and removes the service's containers (volumes are kept).")]
public sealed class RemoveService(IDockerEngine engine) : WorkflowActivity<StopService.Input, RemoveService.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(StopService.Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        var removed = await ServiceContainers.StopAndRemoveAsync(engine, containers, input.GracePeriod, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { Removed = removed });
    }

    public sealed record Output
    {
        public IReadOnlyList<string> Removed { get; init; } = [];
    }
}
