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

    /// <summary>How the container sits on the network it is created on (its names there, the addresses it asks for).</summary>
    public NetworkEndpoint? Endpoint { get; init; }

    /// <summary>Ask the engine for one GPU (balena's <c>io.balena.features.gpu</c>, as <c>docker run --gpus 1</c>).</summary>
    public bool Gpu { get; init; }

    /// <summary>A <c>service:NAME</c> network mode resolved to <c>container:ID</c>; otherwise the config's.</summary>
    public string? NetworkMode { get; init; }
}
