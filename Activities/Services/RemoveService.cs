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
        var removed = new List<string>();
        foreach (var container in await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false))
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

        return Completed(new Output { Removed = removed });
    }

    public sealed record Output
    {
        public IReadOnlyList<string> Removed { get; init; } = [];
    }
}
