using System.Globalization;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Activities.Features;

/// <summary>
/// Works out what a service's feature labels give its container, as balena's <c>addFeaturesFromLabels</c> does:
/// the host paths each feature binds, the supervisor API's address and the service's own key, the engine socket.
/// </summary>
public sealed class ServiceFeatureGrants(
    ServiceApiKeyStore keys,
    IDockerEngine engine,
    IOptions<DockerEngineOptions> engineOptions,
    HostOsRelease hostOs,
    ISupervisorApiPort apiPort)
{
    /// <summary>Where the engine socket is bound in a service with <c>balena-socket</c>, and what <c>DOCKER_HOST</c> names.</summary>
    public const string ContainerEngineSocket = "/host/run/balena-engine.sock";

    private const string LegacyContainerEngineSocket = "/var/run/balena.sock";

    /// <summary>What the service's labels give it; a feature the host cannot give is an <see cref="InvalidOperationException"/> naming it.</summary>
    public async Task<FeatureGrant> GrantAsync(
        string appUuid, long? appId, string serviceName, IReadOnlyDictionary<string, string> labels, string? networkMode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        List<string> binds = [];
        Dictionary<string, string> environment = new(StringComparer.Ordinal);
        Dictionary<string, string> defaults = new(StringComparer.Ordinal);
        List<string> networks = [];
        bool On(string feature) => ServiceFeatures.IsOn(labels, feature);
        void Both(string name, string value)
        {
            environment["BALENA_" + name] = value;
            environment["RESIN_" + name] = value;
        }

        if (On(ServiceFeatures.JournalLogs))
        {
            // balena binds all three; a host without a persistent journal lacks /var/log/journal, and the engine
            // refuses to bind a path that does not exist.
            binds.AddRange(((string[])["/var/log/journal", "/run/log/journal", "/etc/machine-id"])
                .Where(Path.Exists)
                .Select(p => $"{p}:{p}:ro"));
        }

        if (On(ServiceFeatures.Dbus))
        {
            binds.Add("/run/dbus:/host/run/dbus");
        }

        if (On(ServiceFeatures.KernelModules) && Directory.Exists("/lib/modules"))
        {
            binds.Add("/lib/modules:/lib/modules");
        }

        if (On(ServiceFeatures.Firmware) && Directory.Exists("/lib/firmware"))
        {
            binds.Add("/lib/firmware:/lib/firmware");
        }

        if (On(ServiceFeatures.BalenaSocket))
        {
            var endpoint = engineOptions.Value.ResolveEndpoint(System.Environment.GetEnvironmentVariable("DOCKER_HOST"));
            if (endpoint.Scheme != "unix")
            {
                throw new InvalidOperationException(
                    $"{ServiceFeatures.BalenaSocket} binds the engine's socket into the service, and the supervisor reaches the engine at {endpoint}, not through a socket. Set Supervisor:DockerHost to the engine's unix socket, or remove the label.");
            }

            var socket = endpoint.LocalPath;
            binds.Add($"{socket}:{ContainerEngineSocket}");
            binds.Add($"{socket}:{socket}");
            if (socket != LegacyContainerEngineSocket)
            {
                binds.Add($"{socket}:{LegacyContainerEngineSocket}");
            }

            defaults["DOCKER_HOST"] = "unix://" + ContainerEngineSocket;
        }

        if (On(ServiceFeatures.SupervisorApi))
        {
            string host;
            if (networkMode == "host")
            {
                host = "127.0.0.1";
            }
            else
            {
                host = SupervisorNetwork.Gateway;

                // A container that has no network of its own (none, or another's) cannot join one.
                if (networkMode != "none"
                    && networkMode?.StartsWith("container:", StringComparison.Ordinal) != true
                    && networkMode?.StartsWith(ServiceConfig.ServiceNetworkModePrefix, StringComparison.Ordinal) != true)
                {
                    await SupervisorNetwork.EnsureAsync(engine, cancellationToken).ConfigureAwait(false);
                    networks.Add(SupervisorNetwork.Name);
                }
            }

            var port = apiPort.Current.ToString(CultureInfo.InvariantCulture);
            Both("SUPERVISOR_API_KEY", await keys.GetOrCreateAsync(appUuid, appId, serviceName, cancellationToken).ConfigureAwait(false));
            Both("SUPERVISOR_PORT", port);
            Both("SUPERVISOR_HOST", host);
            Both("SUPERVISOR_ADDRESS", $"http://{host}:{port}");
        }

        if (On(ServiceFeatures.Sysfs))
        {
            binds.Add("/sys:/sys");
        }

        if (On(ServiceFeatures.Procfs))
        {
            binds.Add("/proc:/proc");
        }

        if (On(ServiceFeatures.HostOsBoardRev) && hostOs.BoardRevision is { } revision)
        {
            Both("HOST_OS_BOARD_REV", revision);
            Both("HOST_OS_BUILD", revision);
        }

        return new FeatureGrant
        {
            Binds = binds,
            Environment = environment,
            DefaultEnvironment = defaults,
            Networks = networks,
            Gpu = On(ServiceFeatures.Gpu),
        };
    }
}
