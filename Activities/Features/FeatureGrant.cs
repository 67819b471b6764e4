namespace Supervisor.Activities.Features;

/// <summary>What a service's feature labels give its container, on top of what its release declares.</summary>
public sealed record FeatureGrant
{
    /// <summary>Host paths bound in, <c>host:container[:ro]</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>Variables set over the release's own (as balena sets them).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Variables set only where the release sets none (<c>DOCKER_HOST</c>).</summary>
    public IReadOnlyDictionary<string, string> DefaultEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Networks joined besides the one the container is created on.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>The engine is asked for one GPU (<c>io.balena.features.gpu</c>).</summary>
    public bool Gpu { get; init; }
}
