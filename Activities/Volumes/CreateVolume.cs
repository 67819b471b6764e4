using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Volumes;

/// <summary>
/// Creates an app's named volume with the options its release declares, before the containers that mount it (so that
/// the engine does not make it on the fly without them). One that exists, under its name or the name an earlier
/// Supervisor gave it, is kept.
/// </summary>
[Description("Creates an app's named volume (<appId>_<name>) with its declared driver and labels; keeps one that exists.")]
public sealed class CreateVolume(IDockerEngine engine, IOptions<ServiceOptions> options) : WorkflowActivity<AppVolumeInput, CreateVolume.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppVolumeInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = AppVolumes.EngineName(input.AppUuid, input.AppId, input.Name);
        var existing = await AppVolumes.NamesAsync(engine, cancellationToken).ConfigureAwait(false);
        var resolved = AppVolumes.Resolve(name, input.AppUuid, input.AppId, existing);
        if (existing.Contains(resolved))
        {
            return Completed(new Output { Name = resolved, Created = false });
        }

        var config = input.Config ?? new VolumeConfig();
        try
        {
            await engine.CreateVolumeAsync(name, config.Driver, config.DriverOpts, AppVolumes.Labels(input, options.Value.Instance), cancellationToken).ConfigureAwait(false);
        }
        catch (EngineErrorException ex) when ((int)ex.StatusCode is >= 400 and < 500)
        {
            return Fail("Invalid", $"Cannot create volume {name} as the release declares it: {ex.Message}");
        }

        return Completed(new Output { Name = name, Created = true });
    }

    public sealed record Output
    {
        [Description("The engine's name of the volume.")]
        public required string Name { get; init; }

        [Description("False when the volume existed already.")]
        public bool Created { get; init; }
    }
}
