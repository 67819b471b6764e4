using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Starts the newest container of each of an app's services, in the order given (a service after those it depends
/// on: one that shares another's network cannot start before it); running ones stay as they are. An
/// app with no container at all is <c>NotFound</c>: creating containers is the reconciler's work.
/// </summary>
[Description("Starts the newest container of each of the app's services, those named in order first.")]
public sealed class StartAppServices(IDockerEngine engine) : WorkflowActivity<StartAppServices.Input, StartAppServices.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var containers = await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"App {input.AppUuid} has no container to start; create it first.");
        }

        var started = new List<string>();
        var order = input.Order.ToList();
        int Place(EngineContainer container)
        {
            var index = order.IndexOf(container.Labels.GetValueOrDefault(ServiceLabels.ServiceName) ?? string.Empty);
            return index < 0 ? int.MaxValue : index;
        }

        foreach (var container in ServiceContainers.NewestPerService(containers)
                     .Where(c => !c.Running)
                     .OrderBy(Place)
                     .ThenBy(c => c.Labels.GetValueOrDefault(ServiceLabels.ServiceName), StringComparer.Ordinal))
        {
            await engine.StartContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
            started.Add(container.Id);
        }

        return Completed(new Output { Started = started });
    }

    public sealed record Input : AppServicesInput
    {
        [Description("Service names in the order to start them, dependencies first; services not named start after them, by name.")]
        public IReadOnlyList<string> Order { get; init; } = [];
    }

    public sealed record Output
    {
        [Description("The containers that were not running and are now started.")]
        public IReadOnlyList<string> Started { get; init; } = [];
    }
}
