using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Removes an app's named volumes: those the supervisor names <c>APPUUID_NAME</c> when it creates
/// the app's services (see the reconcile steps), so two apps' <c>data</c> volumes never meet. A
/// volume still in use (a container was left) ends the run <c>Conflict</c>; one already gone is fine.
/// </summary>
[Description("Removes the app's named volumes (APPUUID_NAME); run it after the app's containers are removed.")]
public sealed class RemoveAppVolumes(IDockerEngine engine) : WorkflowActivity<AppServicesInput, RemoveAppVolumes.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppServicesInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var prefix = input.AppUuid + "_";
        var removed = new List<string>();
        foreach (var name in (await engine.ListVolumesAsync(cancellationToken).ConfigureAwait(false)).Select(v => v.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            try
            {
                await engine.RemoveVolumeAsync(name, cancellationToken).ConfigureAwait(false);
                removed.Add(name);
            }
            catch (EngineNotFoundException)
            {
                // Gone already.
            }
            catch (EngineConflictException ex)
            {
                return Fail("Conflict", $"Cannot remove volume {name} of app {input.AppUuid}: {ex.Message}");
            }
        }

        return Completed(new Output { Removed = removed });
    }

    public sealed record Output
    {
        public IReadOnlyList<string> Removed { get; init; } = [];
    }
}
