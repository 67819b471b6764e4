namespace Supervisor.Activities.Services.Config;

/// <summary>
/// One entry of a service's <c>volumes</c>: a named volume (<see cref="Source"/> is the engine's volume name, already
/// scoped to the app), an anonymous volume (no source) or a tmpfs. Never a host path: a release cannot mount the
/// device's host.
/// </summary>
public sealed record ServiceVolume
{
    public const string VolumeType = "volume";
    public const string TmpfsType = "tmpfs";

    /// <summary><see cref="VolumeType"/> or <see cref="TmpfsType"/>.</summary>
    public string Type { get; init; } = VolumeType;

    /// <summary>The engine's volume name; null for an anonymous volume or a tmpfs.</summary>
    public string? Source { get; init; }

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary><c>volume.nocopy</c>: do not copy the image's files into a new volume.</summary>
    public bool NoCopy { get; init; }

    /// <summary><c>tmpfs.size</c> in bytes.</summary>
    public long? TmpfsSize { get; init; }
}
