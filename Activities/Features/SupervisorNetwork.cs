using Supervisor.Activities.Engine;
using Supervisor.Activities.Networks;

namespace Supervisor.Activities.Features;

/// <summary>
/// balena's <c>supervisor0</c> bridge, which services with the supervisor API join to reach it: the supervisor
/// listens on the host, and the bridge's gateway is the host's address on it. Made the first time a service needs it,
/// with balena's addresses, so that a device moved from balena finds the one it has.
/// </summary>
public static class SupervisorNetwork
{
    public const string Name = "supervisor0";
    public const string Subnet = "10.114.104.0/25";
    public const string Gateway = "10.114.104.1";

    public static async Task EnsureAsync(IDockerEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (await ExistsAsync(engine, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await engine.CreateNetworkAsync(
                new NetworkSpec
                {
                    Name = Name,
                    Config = new NetworkConfig
                    {
                        DriverOpts = new Dictionary<string, string> { ["com.docker.network.bridge.name"] = Name },
                        Ipam = new NetworkIpam { Config = [new NetworkPool { Subnet = Subnet, Gateway = Gateway }] },
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (EngineConflictException)
        {
            // Another service's creation may have made it first; anything else is the engine's answer.
            if (!await ExistsAsync(engine, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private static async Task<bool> ExistsAsync(IDockerEngine engine, CancellationToken cancellationToken) =>
        (await engine.ListNetworksAsync(new Dictionary<string, string?>(), cancellationToken).ConfigureAwait(false)).Any(n => n.Name == Name);
}
