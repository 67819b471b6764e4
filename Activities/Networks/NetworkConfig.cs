namespace Supervisor.Activities.Networks;

/// <summary>
/// A network as a release declares it (compose's network options), normalised but with no default filled in: null
/// and empty members are the ones the release did not set, and the engine's defaults (a bridge, addresses it picks)
/// apply. Its digest on the network (<see cref="AppNetworks.Fingerprint"/>) is how the planner tells a changed
/// network from an unchanged one.
/// </summary>
public sealed record NetworkConfig
{
    /// <summary>null for <c>bridge</c>.</summary>
    public string? Driver { get; init; }

    /// <summary>Compose's <c>driver_opts</c>.</summary>
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();

    public NetworkIpam? Ipam { get; init; }

    public bool? EnableIpv6 { get; init; }

    public bool? Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
