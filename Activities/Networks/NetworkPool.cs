namespace Supervisor.Activities.Networks;

/// <summary>One address range of a network: compose's <c>ipam.config</c> entry.</summary>
public sealed record NetworkPool
{
    /// <summary>CIDR, such as <c>172.28.0.0/16</c>.</summary>
    public string? Subnet { get; init; }

    public string? Gateway { get; init; }

    public string? IpRange { get; init; }

    /// <summary>Compose's <c>aux_addresses</c>: host names mapped to addresses the engine must not hand out.</summary>
    public IReadOnlyDictionary<string, string> AuxAddresses { get; init; } = new Dictionary<string, string>();
}
