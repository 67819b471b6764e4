namespace Supervisor.Activities.Engine;

/// <summary>
/// What the supervisor asks the engine to create. Containers always run with an init process
/// (<c>Init = true</c>): service commands such as <c>sleep</c> ignore SIGTERM as PID 1, and a stop
/// would otherwise wait out its whole grace period.
/// </summary>
public sealed record ContainerSpec
{
    public required string Name { get; init; }

    /// <summary>The image, by a name the engine knows (<c>repo:tag</c>, <c>repo@digest</c> or an id).</summary>
    public required string Image { get; init; }

    /// <summary>Overrides the image's command; empty keeps the image's own.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Overrides the image's entrypoint; empty keeps the image's own.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Docker network mode (<c>none</c>, <c>host</c>, <c>bridge</c>, a network name); null for the engine's default.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Bind mounts and named volumes in Docker's <c>source:target[:options]</c> form.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>Docker restart policy name (<c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure</c>); null for none.</summary>
    public string? RestartPolicy { get; init; }
}
