using System.ComponentModel;
using System.Globalization;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Removes an app's named volumes: those the supervisor made for it (labelled with its uuid, named
/// <c>APPID_NAME</c> as balena names them), and unlabelled ones named <c>APPUUID_NAME</c> (as earlier Supervisors
/// let the engine make them) or <c>APPID_NAME</c>, so two apps' <c>data</c> volumes never meet. A volume still in
/// use (a container was left) ends the run <c>Conflict</c>; one already gone is fine.
/// </summary>
[Description("Removes the app's named volumes (APPID_NAME, or APPUUID_NAME from earlier Supervisors); run it after the app's containers are removed.")]
public sealed class RemoveAppVolumes(IDockerEngine engine) : WorkflowActivity<RemoveAppVolumes.Input, RemoveAppVolumes.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        string[] prefixes = input.AppId is { } appId ? [input.AppUuid + "_", appId.ToString(CultureInfo.InvariantCulture) + "_"] : [input.AppUuid + "_"];
        bool IsTheApps(EngineVolume volume) => volume.Labels.TryGetValue(ServiceLabels.AppUuid, out var owner)
            ? owner == input.AppUuid
            : prefixes.Any(p => volume.Name.StartsWith(p, StringComparison.Ordinal));
        var removed = new List<string>();
        foreach (var name in (await engine.ListVolumesAsync(cancellationToken).ConfigureAwait(false)).Where(IsTheApps).Select(v => v.Name))
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

    public sealed record Input : AppServicesInput
    {
        [Description("The app's legacy numeric id, the prefix of its volumes' names.")]
        public long? AppId { get; init; }
    }

    public sealed record Output
    {
        public IReadOnlyList<string> Removed { get; init; } = [];
    }
}
