using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Networks;

/// <summary>Removes an app's network; one already gone counts as removed, one still in use fails <c>Conflict</c>.</summary>
[Description("Removes an app's network (<appUuid>_<name>).")]
public sealed class RemoveNetwork(IDockerEngine engine) : WorkflowActivity<AppNetworkInput, RemoveNetwork.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppNetworkInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = AppNetworks.EngineName(input.AppUuid, input.Name);
        try
        {
            await engine.RemoveNetworkAsync(name, cancellationToken).ConfigureAwait(false);
            return Completed(new Output { Removed = true });
        }
        catch (EngineNotFoundException)
        {
            return Completed(new Output { Removed = false });
        }
        catch (EngineConflictException ex)
        {
            return Fail("Conflict", $"Cannot remove network {name}: a container still uses it ({ex.Message}).");
        }
    }

    public sealed record Output
    {
        [Description("False when the network was gone already.")]
        public bool Removed { get; init; }
    }
}
