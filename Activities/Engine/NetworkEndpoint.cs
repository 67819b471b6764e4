namespace Supervisor.Activities.Engine;

/// <summary>How a container sits on one network: the names it answers to and the addresses it asks for.</summary>
public sealed record NetworkEndpoint
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Ipv4Address { get; init; }

    public string? Ipv6Address { get; init; }

    public IReadOnlyList<string> LinkLocalIps { get; init; } = [];

    public string? MacAddress { get; init; }
}
