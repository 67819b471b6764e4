using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Starts the newest container of each of an app's services; running ones stay as they are. An
/// app with no container at all is <c>NotFound</c>: creating containers is the reconciler's work.
/// </summary>
[Description("Starts the newest container of each of the app's services.")]
public sealed class StartAppServices(IDockerEngine engine) : WorkflowActivity<AppServicesInput, StartAppServices.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppServicesInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"App {input.AppUuid} has no container to start; create it first.");
        }

        var started = new List<string>();
        foreach (var container in ServiceContainers.NewestPerService(containers).Where(c => !c.Running))
        {
            await engine.StartContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
            started.Add(container.Id);
        }

        return Completed(new Output { Started = started });
    }

    public sealed record Output
    {
        [Description("The containers that were not running and are now started.")]
        public IReadOnlyList<string> Started { get; init; } = [];
    }
}
