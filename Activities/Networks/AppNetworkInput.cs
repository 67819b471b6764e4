using System.ComponentModel;

namespace Supervisor.Activities.Networks;

/// <summary>Which network of which app an activity acts on.</summary>
public sealed record AppNetworkInput
{
    [Description("The app's uuid: the engine's network is named <appUuid>_<name>, as balena names it.")]
    public required string AppUuid { get; init; }

    [Description("Legacy numeric app id: the io.balena.app-id label, as balena labels app networks.")]
    public long? AppId { get; init; }

    [Description("The network's name in the release; default for the network every app gets.")]
    public string Name { get; init; } = AppNetworks.DefaultName;

    [Description("The network's options as the release declares them (driver, ipam, internal, ...); none for a plain bridge.")]
    public NetworkConfig? Config { get; init; }
}
