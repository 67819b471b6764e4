namespace Supervisor.Activities.Volumes;

/// <summary>
/// A named volume as a release declares it (compose's volume options), with no default filled in: the engine's
/// <c>local</c> driver when none is named. Its digest on the volume (<see cref="AppVolumes.Fingerprint"/>) is how the
/// planner tells a changed volume from an unchanged one.
/// </summary>
public sealed record VolumeConfig
{
    public string? Driver { get; init; }

    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
