using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Supervisor.Activities.Features;
using Supervisor.Host.Configuration;

namespace Supervisor.Host.Api;

/// <summary>
/// The port of the address the HTTP server bound first (so a port chosen at start, <c>:0</c>, is the real one), or
/// balena's default when there is no server (the benchmarks' host without the API) or no address yet.
/// </summary>
public sealed class ServerApiPort(IServiceProvider services) : ISupervisorApiPort
{
    public int Current =>
        ListenAddress.Port(services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault())
        ?? ISupervisorApiPort.Default;
}
