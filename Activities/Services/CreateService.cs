using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Features;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Paths;
using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Creates the container of one service of one release, not started, from the release's
/// <see cref="ServiceConfig"/>: named and labelled as the supervisor's and as balena's, with the
/// fingerprint of what it was created from, the service's update-lock folder mounted at
/// <c>/tmp/balena</c> and <c>/tmp/resin</c>, and balena's variables beneath the release's
/// environment, what its feature labels give it (<see cref="ServiceFeatureGrants"/>), and on each network
/// it joins under its service name. A container that already exists for that service and release is
/// reused (and joined to any network a crash kept it from), so running this again after a crash creates
/// nothing twice.
/// </summary>
[Description("Creates a service's container (not started); reuses the one that exists for the same release.")]
public sealed class CreateService(IDockerEngine engine, IOptions<ServiceOptions> options, ITargetedApps targets, ServiceFeatureGrants features, HostOsRelease hostOs) : WorkflowActivity<CreateService.Input, CreateService.Output>
{
    /// <summary>Where, inside the container, the service takes its update lock: the lock file's name comes from <see cref="UpdateLockFiles"/>, so it is the one the supervisor checks.</summary>
    private const string LockPathInContainer = AppLockFolders.MountPoint + "/" + UpdateLockFiles.FileName;

    /// <summary>Where a service signals, in a hand-over, that the old container may stop (balena's path).</summary>
    private const string HandoverPathInContainer = AppLockFolders.MountPoint + "/handover-complete";

    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(input.Commit))
        {
            return Fail("Invalid", $"CreateService \"{context.ActivityId}\": a container is created for one release: give its commit.");
        }

        if (!ImageReference.TryParse(input.Image, out var image))
        {
            return Fail("Invalid", $"CreateService \"{context.ActivityId}\": \"{input.Image}\" is not an image reference.");
        }

        if (input.Config.Restart is { } restart && !ContainerCreateParameters.RestartPolicies.ContainsKey(restart))
        {
            return Fail("Invalid", $"CreateService \"{context.ActivityId}\": restart \"{restart}\" is not one of {string.Join(", ", ContainerCreateParameters.RestartPolicies.Keys)}.");
        }

        var existing = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            // A crash may have come between creating the container and joining it to its other networks.
            var (grantedBefore, refusedNow) = await GrantAsync(input, input.Config.NetworkMode, cancellationToken).ConfigureAwait(false);
            if (grantedBefore is null)
            {
                return refusedNow!;
            }

            await JoinAsync(existing[0].Id, OtherNetworks(input, grantedBefore), cancellationToken).ConfigureAwait(false);
            return Completed(new Output { ContainerId = existing[0].Id, Created = false });
        }

        var lockFolder = PathGuard.Combine(options.Value.LockRoot, input.AppId?.ToString(CultureInfo.InvariantCulture) ?? input.AppUuid, input.ServiceName);
        Directory.CreateDirectory(lockFolder);

        var config = input.Config;
        string? networkMode = null;
        if (config.NetworkMode is { } mode && mode.StartsWith(ServiceConfig.ServiceNetworkModePrefix, StringComparison.Ordinal))
        {
            var peerName = mode[ServiceConfig.ServiceNetworkModePrefix.Length..];
            var peer = ServiceContainers.NewestPerService(await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(c => c.Labels.GetValueOrDefault(ServiceLabels.ServiceName) == peerName);
            if (peer is null)
            {
                return Fail("NotFound", $"Cannot create {input.ServiceName}: its network_mode is {mode}, and {peerName} has no container yet. Create {peerName} first.");
            }

            networkMode = $"container:{peer.Id}";
        }

        IReadOnlyList<string>? imageCommand = null;
        var imageName = image.TagName ?? image.PullName;
        if (config.Entrypoint is not null && config.Command is null)
        {
            try
            {
                imageCommand = (await engine.InspectImageAsync(imageName, cancellationToken).ConfigureAwait(false)).Command;
            }
            catch (EngineNotFoundException)
            {
                return Fail("NotFound", $"Cannot create {input.ServiceName}: the engine has no image {imageName}. Fetch it first.");
            }
        }

        var (granted, refused) = await GrantAsync(input, networkMode ?? config.NetworkMode, cancellationToken).ConfigureAwait(false);
        if (granted is null)
        {
            return refused!;
        }

        // A volume an earlier Supervisor made under the app's uuid keeps serving the service, with its data.
        if (input.AppId is { } appId && config.Volumes.Any(v => v.Source is not null))
        {
            var volumes = await AppVolumes.NamesAsync(engine, cancellationToken).ConfigureAwait(false);
            config = config with
            {
                Volumes = [.. config.Volumes.Select(v => v.Source is null ? v : v with { Source = AppVolumes.Resolve(v.Source, input.AppUuid, appId, volumes) })],
            };
        }

        var spec = new ContainerSpec
        {
            Name = ContainerName(input),
            Image = imageName,
            Config = config with
            {
                Environment = Environment(input, await targets.DeviceAsync(cancellationToken).ConfigureAwait(false), granted),
                Labels = Labels(input),
            },
            HostBinds = [$"{lockFolder}:{AppLockFolders.MountPoint}", $"{lockFolder}:{AppLockFolders.LegacyMountPoint}", .. granted.Binds],
            ImageCommand = imageCommand,
            NetworkMode = networkMode,
            Endpoint = JoinsANetwork(config.NetworkMode)
                ? EndpointOf(input.ServiceName, config.Networks.FirstOrDefault(n => AppNetworks.EngineName(input.AppUuid, n.Name) == config.NetworkMode))
                : null,
            Gpu = granted.Gpu,
        };

        try
        {
            var id = await engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
            await JoinAsync(id, OtherNetworks(input, granted), cancellationToken).ConfigureAwait(false);
            return Completed(new Output { ContainerId = id, Created = true });
        }
        catch (EngineNotFoundException ex)
        {
            return Fail("NotFound", $"Cannot create {input.ServiceName}: the engine has no image {spec.Image} ({ex.Message}). Fetch it first.");
        }
        catch (EngineConflictException ex)
        {
            return Fail("Conflict", $"Cannot create {input.ServiceName}: {ex.Message}");
        }
    }

    /// <summary>What the service's feature labels give it, or the failure to answer when the host cannot give it.</summary>
    private async Task<(FeatureGrant? Granted, ActivityResult? Refused)> GrantAsync(Input input, string? networkMode, CancellationToken cancellationToken)
    {
        try
        {
            return (await features.GrantAsync(input.AppUuid, input.AppId, input.ServiceName, input.Config.Labels, networkMode, cancellationToken).ConfigureAwait(false), null);
        }
        catch (InvalidOperationException ex)
        {
            return (null, Fail("Invalid", $"Cannot create {input.ServiceName}: {ex.Message}"));
        }
    }

    /// <summary>
    /// The networks the container joins once created (the engine joins one at creation): the release's others for
    /// the service, each under the service's name and its aliases there, then those its features ask for.
    /// </summary>
    private static List<(string Network, NetworkEndpoint Endpoint)> OtherNetworks(Input input, FeatureGrant granted) =>
    [
        .. input.Config.Networks
            .Select(n => (Network: AppNetworks.EngineName(input.AppUuid, n.Name), Endpoint: EndpointOf(input.ServiceName, n)))
            .Where(n => n.Network != input.Config.NetworkMode),
        .. granted.Networks.Select(n => (n, new NetworkEndpoint())),
    ];

    /// <summary>A service answers to its name on each of its app's networks (balena's alias), and to the aliases declared there.</summary>
    private static NetworkEndpoint EndpointOf(string serviceName, ServiceNetwork? declared) => new()
    {
        Aliases = [serviceName, .. (declared?.Aliases ?? []).Where(a => a != serviceName)],
        Ipv4Address = declared?.Ipv4Address,
        Ipv6Address = declared?.Ipv6Address,
        LinkLocalIps = declared?.LinkLocalIps ?? [],
    };

    private async Task JoinAsync(string containerId, IReadOnlyList<(string Network, NetworkEndpoint Endpoint)> networks, CancellationToken cancellationToken)
    {
        foreach (var (network, endpoint) in networks)
        {
            await engine.ConnectNetworkAsync(network, containerId, endpoint, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A network mode naming a network (not host, none, bridge or another container's): the service joins it by its name.</summary>
    private static bool JoinsANetwork(string? mode) =>
        mode is not (null or "host" or "none" or "bridge" or "default") && !mode.StartsWith(ServiceConfig.ServiceNetworkModePrefix, StringComparison.Ordinal)
        && !mode.StartsWith("container:", StringComparison.Ordinal);

    internal static string ContainerName(Input input) =>
        ServiceContainerName.Format(input.ServiceName, input.AppUuid, input.Commit!, input.ImageId, input.ReleaseId);

    /// <summary>
    /// balena's variables for every service, under both its names (<c>BALENA_</c> and the legacy <c>RESIN_</c>),
    /// beneath the release's own: a release may set any of them itself, as on balena. What the service's features
    /// give goes over the release's (balena's order), except <c>DOCKER_HOST</c>, which a release may set.
    /// </summary>
    private Dictionary<string, string> Environment(Input input, TargetedDevice? device, FeatureGrant granted)
    {
        var provided = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["APP_UUID"] = input.AppUuid,
            ["SERVICE_NAME"] = input.ServiceName,
            ["APP_LOCK_PATH"] = LockPathInContainer,
            ["DEVICE_TYPE"] = options.Value.EffectiveDeviceType,
            ["DEVICE_ARCH"] = DeviceArchitecture.Current,
        };
        if (device is not null)
        {
            provided["DEVICE_UUID"] = device.Uuid;

            // The device's name when the container was made: balena's name says it is not kept up to date.
            provided["DEVICE_NAME_AT_INIT"] = device.Name;
        }

        if (hostOs.PrettyName is { } osVersion)
        {
            provided["HOST_OS_VERSION"] = osVersion;
        }

        if (input.AppId is { } appId)
        {
            provided["APP_ID"] = appId.ToString(CultureInfo.InvariantCulture);
        }

        if (input.AppName is { } appName)
        {
            provided["APP_NAME"] = appName;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BALENA"] = "1",
            ["RESIN"] = "1",
            ["BALENA_SERVICE_HANDOVER_COMPLETE_PATH"] = HandoverPathInContainer,
            ["RESIN_SERVICE_KILL_ME_PATH"] = HandoverPathInContainer,
            ["USER"] = "root",
        };
        foreach (var (key, value) in provided)
        {
            environment["BALENA_" + key] = value;
            environment["RESIN_" + key] = value;
        }

        foreach (var (key, value) in input.Config.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in granted.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in granted.DefaultEnvironment)
        {
            environment.TryAdd(key, value);
        }

        return environment;
    }

    /// <summary>The release's labels, then the supervisor's, which no release can override.</summary>
    private Dictionary<string, string> Labels(Input input)
    {
        var labels = new Dictionary<string, string>(input.Config.Labels, StringComparer.Ordinal)
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.Instance] = options.Value.Instance,
            [ServiceLabels.AppUuid] = input.AppUuid,
            [ServiceLabels.ServiceName] = input.ServiceName,
            [ServiceLabels.Commit] = input.Commit!,
            [ServiceLabels.Config] = ServiceConfigFingerprint.Of(input.Image, input.Config),
            [ServiceLabels.BalenaSupervised] = "true",
            [ServiceLabels.BalenaAppUuid] = input.AppUuid,
            [ServiceLabels.BalenaServiceName] = input.ServiceName,
        };
        if (input.AppId is { } appId)
        {
            labels[ServiceLabels.BalenaAppId] = appId.ToString(CultureInfo.InvariantCulture);
        }

        if (input.ServiceId is { } serviceId)
        {
            labels[ServiceLabels.BalenaServiceId] = serviceId.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }

    public sealed record Input : ServiceInput
    {
        [Description("The image as the target names it; the container uses its tag (or its digest when it has none).")]
        public required string Image { get; init; }

        [Description("Legacy numeric app id: names the update-lock folder, as balena does; the app uuid when absent.")]
        public long? AppId { get; init; }

        [Description("The app's name: BALENA_APP_NAME.")]
        public string? AppName { get; init; }

        [Description("Legacy numeric service id: the io.balena.service-id label.")]
        public long? ServiceId { get; init; }

        [Description("Legacy numeric image id: part of balena's container name.")]
        public long? ImageId { get; init; }

        [Description("Legacy numeric release id: part of balena's container name.")]
        public long? ReleaseId { get; init; }

        [Description("The container's configuration as the release declares it; balena's defaults fill what it leaves unset.")]
        public ServiceConfig Config { get; init; } = new();
    }

    public sealed record Output
    {
        public required string ContainerId { get; init; }

        [Description("False when the container for this release already existed.")]
        public bool Created { get; init; }
    }
}
