using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Volumes;

/// <summary>
/// Removes an app's named volume, and its data with it, under its name or the one an earlier Supervisor gave it; one
/// already gone counts as removed, one a container still uses fails <c>Conflict</c> (removal is never forced).
/// </summary>
[Description("Removes an app's named volume and its data; one still in use fails Conflict.")]
public sealed class RemoveVolume(IDockerEngine engine) : WorkflowActivity<AppVolumeInput, RemoveVolume.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppVolumeInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = AppVolumes.Resolve(
            AppVolumes.EngineName(input.AppUuid, input.AppId, input.Name), input.AppUuid, input.AppId, await AppVolumes.NamesAsync(engine, cancellationToken).ConfigureAwait(false));
        try
        {
            await engine.RemoveVolumeAsync(name, cancellationToken).ConfigureAwait(false);
            return Completed(new Output { Removed = true });
        }
        catch (EngineNotFoundException)
        {
            return Completed(new Output { Removed = false });
        }
        catch (EngineConflictException ex)
        {
            return Fail("Conflict", $"Cannot remove volume {name}: a container still uses it ({ex.Message}).");
        }
    }

    public sealed record Output
    {
        [Description("False when the volume was gone already.")]
        public bool Removed { get; init; }
    }
}
