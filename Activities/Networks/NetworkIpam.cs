namespace Supervisor.Activities.Networks;

/// <summary>A network's address management: compose's <c>ipam</c>.</summary>
public sealed record NetworkIpam
{
    /// <summary>null for the engine's <c>default</c> driver.</summary>
    public string? Driver { get; init; }

    public IReadOnlyList<NetworkPool> Config { get; init; } = [];

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
