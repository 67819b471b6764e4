using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Stops a service's containers, giving each its grace period before the engine kills it. A
/// stopped container stays stopped; no container at all is <c>NotFound</c>.
/// </summary>
[Description("Stops the service's containers, honouring the stop grace period.")]
public sealed class StopService(IDockerEngine engine) : WorkflowActivity<StopService.Input, StopService.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"Service {input.ServiceName} of app {input.AppUuid} has no container to stop.");
        }

        var stopped = await ServiceContainers.StopRunningAsync(engine, containers, input.GracePeriod, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { Stopped = stopped });
    }

    public sealed record Input : ServiceInput
    {
        [Description("How long the service may take to stop before it is killed (hh:mm:ss).")]
        public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);
    }

    public sealed record Output
    {
        [Description("The containers that were running and are now stopped.")]
        public IReadOnlyList<string> Stopped { get; init; } = [];
    }
}
