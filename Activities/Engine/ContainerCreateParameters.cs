using System.Globalization;
using Docker.DotNet.Models;
using Supervisor.Activities.Services.Config;
using ServiceConfig = Supervisor.Activities.Services.Config.ServiceConfig;

namespace Supervisor.Activities.Engine;

/// <summary>
/// The one translation of a <see cref="ContainerSpec"/> into the engine's create request, with balena's defaults for
/// what the release leaves unset: a terminal (<c>tty</c>), the <c>shareable</c> IPC mode, a 64 MiB <c>/dev/shm</c>,
/// restart <c>always</c>, a 10 s stop timeout, and no init process unless asked for.
/// </summary>
public static class ContainerCreateParameters
{
    public const long DefaultShmSize = 64L * 1024 * 1024;
    public static readonly TimeSpan DefaultStopGracePeriod = TimeSpan.FromSeconds(10);
    public const string DefaultIpc = "shareable";
    public const string DefaultRestart = "always";

    public static CreateContainerParameters From(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ServiceConfig config = spec.Config;
        Dictionary<string, EmptyStruct> exposed = [];
        Dictionary<string, IList<PortBinding>> bindings = [];
        foreach (ServicePort port in config.Ports)
        {
            string key = $"{port.ContainerPort}/{port.Protocol}";
            exposed[key] = default;
            if (!bindings.TryGetValue(key, out IList<PortBinding>? list))
            {
                bindings[key] = list = [];
            }

            list.Add(new PortBinding { HostIP = port.HostIp ?? string.Empty, HostPort = port.HostPort.ToString(CultureInfo.InvariantCulture) });
        }

        foreach (string port in config.Expose)
        {
            exposed[port] = default;
        }

        IList<string>? command = config.Command?.ToList() ?? (config.Entrypoint is not null ? spec.ImageCommand?.ToList() : null);
        string? networkMode = spec.NetworkMode ?? config.NetworkMode;
        return new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Cmd = command!,
            Entrypoint = config.Entrypoint?.ToList()!,
            Env = [.. config.Environment.Select(e => $"{e.Key}={e.Value}")],
            Labels = config.Labels.ToDictionary(),
            Tty = config.Tty ?? true,
            OpenStdin = config.StdinOpen ?? false,
            Hostname = config.Hostname!,
            Domainname = config.Domainname!,
            WorkingDir = config.WorkingDir!,
            User = config.User!,
            StopSignal = config.StopSignal!,
            StopTimeout = config.StopGracePeriod ?? DefaultStopGracePeriod,
            ExposedPorts = exposed.Count > 0 ? exposed : null!,
            Volumes = AnonymousVolumes(config)!,
            Healthcheck = Healthcheck(config.Healthcheck)!,
            NetworkingConfig = Networking(networkMode, (spec.Endpoint ?? new NetworkEndpoint()) with { MacAddress = config.MacAddress })!,
            HostConfig = new HostConfig
            {
                Binds = [.. spec.HostBinds, .. config.Volumes.Where(IsBind).Select(Bind)],
                Mounts = Mounts(config)!,
                NetworkMode = networkMode!,
                RestartPolicy = new RestartPolicy { Name = Restart(config.Restart ?? DefaultRestart) },
                PortBindings = bindings.Count > 0 ? bindings : null!,
                Privileged = config.Privileged ?? false,
                CapAdd = OrNull(config.CapAdd)!,
                CapDrop = OrNull(config.CapDrop)!,
                Devices = config.Devices.Count > 0
                    ? [.. config.Devices.Select(d => new DeviceMapping { PathOnHost = d.PathOnHost, PathInContainer = d.PathInContainer, CgroupPermissions = d.CgroupPermissions })]
                    : null!,
                DeviceCgroupRules = OrNull(config.DeviceCgroupRules)!,
                DNS = OrNull(config.Dns)!,
                DNSOptions = OrNull(config.DnsOpt)!,
                DNSSearch = OrNull(config.DnsSearch)!,
                ExtraHosts = OrNull(config.ExtraHosts)!,
                Init = config.Init,
                ReadonlyRootfs = config.ReadOnly ?? false,
                Tmpfs = config.Tmpfs.Count > 0 ? config.Tmpfs.ToDictionary(Before(':'), After(':')) : null!,
                ShmSize = config.ShmSize ?? DefaultShmSize,
                Sysctls = config.Sysctls.Count > 0 ? config.Sysctls.ToDictionary() : null!,
                Ulimits = config.Ulimits.Count > 0 ? [.. config.Ulimits.Select(u => new Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard })] : null!,
                Memory = config.MemLimit ?? 0,
                MemoryReservation = config.MemReservation ?? 0,
                CPUShares = config.CpuShares ?? 0,
                CPUQuota = config.CpuQuota ?? 0,
                CPUPeriod = config.CpuPeriod ?? 0,
                NanoCPUs = config.NanoCpus ?? 0,
                CpusetCpus = config.Cpuset!,
                SecurityOpt = OrNull(config.SecurityOpt)!,
                GroupAdd = OrNull(config.GroupAdd)!,
                PidMode = config.Pid!,
                PidsLimit = config.PidsLimit,
                IpcMode = config.Ipc ?? DefaultIpc,
                OomKillDisable = config.OomKillDisable,
                OomScoreAdj = config.OomScoreAdj ?? 0,
                CgroupParent = config.CgroupParent!,
                UsernsMode = config.UsernsMode!,
                StorageOpt = config.StorageOpt.Count > 0 ? config.StorageOpt.ToDictionary() : null!,
                LogConfig = config.Logging is { } logging ? new LogConfig { Type = logging.Driver, Config = logging.Options.ToDictionary() } : null!,

                // As the docker CLI asks for --gpus 1: any driver, one device, the gpu capability.
                DeviceRequests = spec.Gpu ? [new DeviceRequest { Driver = string.Empty, Count = 1, DeviceIDs = [], Capabilities = [["gpu"]], Options = new Dictionary<string, string>() }] : null!,
            },
        };
    }

    /// <summary>Compose's four restart policies, as the engine names them.</summary>
    public static readonly IReadOnlyDictionary<string, RestartPolicyKind> RestartPolicies = new Dictionary<string, RestartPolicyKind>(StringComparer.Ordinal)
    {
        ["no"] = RestartPolicyKind.No,
        ["always"] = RestartPolicyKind.Always,
        ["unless-stopped"] = RestartPolicyKind.UnlessStopped,
        ["on-failure"] = RestartPolicyKind.OnFailure,
    };

    /// <summary>The engine's restart policy kind for one of compose's four names.</summary>
    public static RestartPolicyKind Restart(string name) =>
        RestartPolicies.TryGetValue(name, out RestartPolicyKind kind)
            ? kind
            : throw new ArgumentException($"Restart policy \"{name}\" is not one of {string.Join(", ", RestartPolicies.Keys)}.", nameof(name));

    // A named volume in the short form goes to Binds as balena sends it; a long one with options to Mounts.
    private static bool IsBind(ServiceVolume volume) =>
        volume is { Type: ServiceVolume.VolumeType, Source: not null, NoCopy: false };

    private static string Bind(ServiceVolume volume) =>
        volume.ReadOnly ? $"{volume.Source}:{volume.Target}:ro" : $"{volume.Source}:{volume.Target}";

    private static Dictionary<string, EmptyStruct>? AnonymousVolumes(ServiceConfig config)
    {
        Dictionary<string, EmptyStruct> anonymous = config.Volumes
            .Where(v => v is { Type: ServiceVolume.VolumeType, Source: null, ReadOnly: false })
            .ToDictionary(v => v.Target, _ => default(EmptyStruct));
        return anonymous.Count > 0 ? anonymous : null;
    }

    private static List<Mount>? Mounts(ServiceConfig config)
    {
        List<Mount> mounts =
        [
            .. config.Volumes
                .Where(v => !IsBind(v) && v is not { Type: ServiceVolume.VolumeType, Source: null, ReadOnly: false })
                .Select(v => new Mount
                {
                    Type = v.Type,
                    Source = v.Source!,
                    Target = v.Target,
                    ReadOnly = v.ReadOnly,
                    VolumeOptions = v.NoCopy ? new VolumeOptions { NoCopy = true } : null!,
                    TmpfsOptions = v.TmpfsSize is { } size ? new TmpfsOptions { SizeBytes = size } : null!,
                }),
        ];
        return mounts.Count > 0 ? mounts : null;
    }

    private static HealthcheckConfig? Healthcheck(ServiceHealthcheck? check) => check is null ? null : new HealthcheckConfig
    {
        Test = check.Test?.ToList()!,
        Interval = check.Interval,
        Timeout = check.Timeout,
        StartPeriod = check.StartPeriod,
        Retries = check.Retries ?? 0,
    };

    // The engine takes a container's aliases, addresses and MAC address on its endpoint in the network it joins at creation.
    private static NetworkingConfig? Networking(string? networkMode, NetworkEndpoint endpoint) =>
        Settings(endpoint) is not { } settings ? null : new NetworkingConfig
        {
            EndpointsConfig = new Dictionary<string, EndpointSettings> { [networkMode ?? "bridge"] = settings },
        };

    /// <summary>The engine's endpoint settings for <paramref name="endpoint"/>; null when it asks for nothing.</summary>
    public static EndpointSettings? Settings(NetworkEndpoint? endpoint)
    {
        if (endpoint is null || (endpoint.Aliases.Count == 0 && endpoint.MacAddress is null && endpoint.Ipv4Address is null
            && endpoint.Ipv6Address is null && endpoint.LinkLocalIps.Count == 0))
        {
            return null;
        }

        var addressed = endpoint.Ipv4Address is not null || endpoint.Ipv6Address is not null || endpoint.LinkLocalIps.Count > 0;
        return new EndpointSettings
        {
            Aliases = endpoint.Aliases.Count > 0 ? [.. endpoint.Aliases] : null!,
            MacAddress = endpoint.MacAddress!,
            IPAMConfig = addressed
                ? new EndpointIPAMConfig { IPv4Address = endpoint.Ipv4Address!, IPv6Address = endpoint.Ipv6Address!, LinkLocalIPs = OrNull(endpoint.LinkLocalIps)! }
                : null!,
        };
    }

    private static List<string>? OrNull(IReadOnlyList<string> values) => values.Count > 0 ? [.. values] : null;

    private static Func<string, string> Before(char separator) => s => s.Split(separator, 2)[0];

    private static Func<string, string> After(char separator) => s => s.Split(separator, 2) is [_, var rest] ? rest : string.Empty;
}
