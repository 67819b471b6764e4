using Supervisor.Activities.Volumes;
using Supervisor.Activities.Networks;

namespace Supervisor.Reconciler.Target;

/// <summary>The one release of an app, identified by its commit (the release uuid).</summary>
public sealed class TargetRelease
{
    public required string Commit { get; init; }

    /// <summary>The numeric release id (<c>id</c>); kept only because the v1/v2 API speaks it.</summary>
    public long? LegacyId { get; init; }

    /// <summary>Services by name, in document order.</summary>
    public required IReadOnlyDictionary<string, TargetService> Services { get; init; }

    /// <summary>The release's named volumes by name, with their declared options.</summary>
    public required IReadOnlyDictionary<string, VolumeConfig> Volumes { get; init; }

    /// <summary>The release's networks by name, with their declared options.</summary>
    public required IReadOnlyDictionary<string, NetworkConfig> Networks { get; init; }
}
