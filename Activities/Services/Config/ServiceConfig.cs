using System.ComponentModel;

namespace Supervisor.Activities.Services.Config;

/// <summary>
/// A service's container configuration as its release declares it, normalised but with no default filled in:
/// a null or empty member is one the composition did not set, and the engine translation
/// (<see cref="Engine.ContainerCreateParameters"/>) supplies balena's default for it. Keeping defaults out is what
/// lets <see cref="ServiceConfigFingerprint"/> compare what was declared: a later Supervisor that supports one more
/// field, or changes a default, does not see every existing container as changed.
/// </summary>
public sealed record ServiceConfig
{
    [Description("Overrides the image's command; null keeps the image's.")]
    public IReadOnlyList<string>? Command { get; init; }

    [Description("Overrides the image's entrypoint; null keeps the image's.")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty;

    [Description("no, always, unless-stopped or on-failure; null for balena's always.")]
    public string? Restart { get; init; }

    [Description("Time between the stop signal and SIGKILL; null for balena's 10 s.")]
    public TimeSpan? StopGracePeriod { get; init; }

    public string? StopSignal { get; init; }

    [Description("Published ports, one entry per container port (ranges are expanded).")]
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    [Description("Container ports exposed without publishing them, as \"port/protocol\".")]
    public IReadOnlyList<string> Expose { get; init; } = [];

    public bool? Privileged { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public IReadOnlyList<ServiceDevice> Devices { get; init; } = [];

    public IReadOnlyList<string> DeviceCgroupRules { get; init; } = [];

    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsOpt { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    [Description("Entries of /etc/hosts, as \"host:ip\".")]
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public string? Hostname { get; init; }

    public string? Domainname { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    [Description("Null for balena's default, a terminal.")]
    public bool? Tty { get; init; }

    public bool? StdinOpen { get; init; }

    [Description("Null for no init process, as balena: images that run systemd need to be PID 1.")]
    public bool? Init { get; init; }

    public bool? ReadOnly { get; init; }

    [Description("tmpfs mounts, \"path[:options]\".")]
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    [Description("Bytes; null for balena's 64 MiB.")]
    public long? ShmSize { get; init; }

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = Empty;

    public IReadOnlyList<ServiceUlimit> Ulimits { get; init; } = [];

    [Description("Bytes.")]
    public long? MemLimit { get; init; }

    [Description("Bytes.")]
    public long? MemReservation { get; init; }

    public long? CpuShares { get; init; }

    public long? CpuQuota { get; init; }

    public long? CpuPeriod { get; init; }

    [Description("CPUs in billionths (Docker's NanoCpus).")]
    public long? NanoCpus { get; init; }

    public string? Cpuset { get; init; }

    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    public ServiceHealthcheck? Healthcheck { get; init; }

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public string? Pid { get; init; }

    public long? PidsLimit { get; init; }

    [Description("Null for balena's shareable.")]
    public string? Ipc { get; init; }

    public bool? OomKillDisable { get; init; }

    public long? OomScoreAdj { get; init; }

    public string? MacAddress { get; init; }

    public string? CgroupParent { get; init; }

    public string? UsernsMode { get; init; }

    public IReadOnlyDictionary<string, string> StorageOpt { get; init; } = Empty;

    public ServiceLogging? Logging { get; init; }

    [Description("Named, anonymous and tmpfs volumes; never a host path.")]
    public IReadOnlyList<ServiceVolume> Volumes { get; init; } = [];

    [Description("host, none, bridge, or service:NAME; null for the engine's default network.")]
    public string? NetworkMode { get; init; }

    [Description("The release's networks the service joins, in order; the first is the one it is created on.")]
    public IReadOnlyList<ServiceNetwork> Networks { get; init; } = [];

    /// <summary>The <see cref="NetworkMode"/> prefix of a service that shares a sibling service's network.</summary>
    public const string ServiceNetworkModePrefix = "service:";

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
