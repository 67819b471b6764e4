using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>Starts a service's container; one already running stays as it is. No container is <c>NotFound</c>.</summary>
[Description("Starts the service's container.")]
public sealed class StartService(IDockerEngine engine) : WorkflowActivity<ServiceInput, StartService.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(ServiceInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"Service {input.ServiceName} of app {input.AppUuid} has no container to start; create it first.");
        }

        var container = containers.OrderByDescending(c => c.Created).First();
        if (!container.Running)
        {
            await engine.StartContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
        }

        return Completed(new Output { ContainerId = container.Id });
    }

    public sealed record Output
    {
        public required string ContainerId { get; init; }
    }
}
