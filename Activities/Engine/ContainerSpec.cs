using Supervisor.Activities.Services.Config;

namespace Supervisor.Activities.Engine;

/// <summary>
/// What the supervisor asks the engine to create: the release's declared <see cref="Config"/> with the supervisor's
/// own environment and labels already merged into it, plus what only the supervisor may give a container (binds of
/// host paths, such as the update-lock folder). <see cref="ContainerCreateParameters"/> turns it into the engine's
/// create request, filling balena's defaults.
/// </summary>
public sealed record ContainerSpec
{
    public required string Name { get; init; }

    /// <summary>The image, by a name the engine knows (<c>repo:tag</c>, <c>repo@digest</c> or an id).</summary>
    public required string Image { get; init; }

    public ServiceConfig Config { get; init; } = new();

    /// <summary>Host folders bound into the container, <c>host:container[:ro]</c>; never from a release.</summary>
    public IReadOnlyList<string> HostBinds { get; init; } = [];

    /// <summary>
    /// The image's own command, sent when the config sets an entrypoint but no command: the engine would otherwise
    /// drop the image's command with its entrypoint, and balena keeps it.
    /// </summary>
    public IReadOnlyList<string>? ImageCommand { get; init; }

    /// <summary>Names the container answers to on the network it joins (the service name on its app's network).</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    /// <summary>A <c>service:NAME</c> network mode resolved to <c>container:ID</c>; otherwise the config's.</summary>
    public string? NetworkMode { get; init; }
}
