namespace Supervisor.Reconciler.Target;

/// <summary>An app in the target, identified by its uuid.</summary>
public sealed class TargetApp
{
    public required string Uuid { get; init; }

    public required string Name { get; init; }

    public AppClass Class { get; init; } = AppClass.Fleet;

    /// <summary>The numeric app id (<c>id</c>); kept only because the v1/v2 API speaks it, absent in v4.</summary>
    public long? LegacyId { get; init; }

    /// <summary><c>is_host</c>: the app is the host OS itself.</summary>
    public bool IsHost { get; init; }

    /// <summary><c>parent_app</c>: the uuid of the app this one belongs to, when given.</summary>
    public string? ParentApp { get; init; }

    /// <summary>
    /// The release the app should run, or <see langword="null"/> when its <c>releases</c> is empty, which means
    /// the app should run nothing.
    /// </summary>
    public TargetRelease? Release { get; init; }
}
