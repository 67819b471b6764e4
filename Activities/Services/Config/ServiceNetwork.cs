namespace Supervisor.Activities.Services.Config;

/// <summary>One network a service joins (compose's service <c>networks</c>), by its name in the release.</summary>
public sealed record ServiceNetwork
{
    /// <summary>The network's name in the release (<c>default</c> for the app's default network).</summary>
    public required string Name { get; init; }

    /// <summary>Names the service answers to on this network, besides its service name.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Ipv4Address { get; init; }

    public string? Ipv6Address { get; init; }

    public IReadOnlyList<string> LinkLocalIps { get; init; } = [];
}
