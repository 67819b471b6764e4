using System.ComponentModel;

namespace Supervisor.Activities.Volumes;

/// <summary>Which named volume of which app an activity acts on.</summary>
public sealed record AppVolumeInput
{
    [Description("The app's uuid: the io.balena.app-uuid label, and the volume's name prefix when the app has no numeric id.")]
    public required string AppUuid { get; init; }

    [Description("Legacy numeric app id: the engine's volume is named <appId>_<name>, as balena names it.")]
    public long? AppId { get; init; }

    [Description("The volume's name in the release.")]
    public required string Name { get; init; }

    [Description("The volume's options as the release declares them (driver, driverOpts, labels); none for a local volume.")]
    public VolumeConfig? Config { get; init; }
}
