using System.Globalization;
using System.Text.Json;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads a service's <c>composition</c> into a <see cref="ServiceComposition"/>, recording every problem with its
/// path. It knows every compose field balena supports that an engine can honour (and a few balena drops but an
/// engine honours: <c>expose</c>, <c>device_cgroup_rules</c>, <c>stdin_open</c>, <c>logging</c>, <c>cpu_period</c>);
/// any other key is refused by name, because running the service without what it asked for would be silently wrong.
/// </summary>
internal sealed class CompositionReader(JsonChecks checks)
{
    private const string ShortMountForm = "\"name:target[:ro|rw]\" or \"target\"";

    /// <summary>Fields compose has that the supervisor refuses, and why; the reason ends the message.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["build"] = "the device cannot build images: give the built image in the service's image",
        ["container_name"] = "the supervisor names containers itself, so that it can find them",
        ["links"] = "links are a legacy feature: services of an app reach each other by service name",
        ["external_links"] = "links are a legacy feature",
        ["volumes_from"] = "share a named volume declared in the release instead",
        ["env_file"] = "the device never sees the compose file's folder: put the variables in environment",
        ["secrets"] = "compose secrets need a swarm",
        ["configs"] = "compose configs need a swarm",
        ["deploy"] = "deploy needs a swarm",
        ["profiles"] = "every service of a release runs",
        ["extends"] = "resolve extends before the release is built",
        ["runtime"] = "the device's engine runtime is not chosen per service",
    };

    private readonly NetworkReader networks = new(checks);

    public ServiceComposition? Read(JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes, IReadOnlyCollection<string>? declaredNetworks = null)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        ServiceConfig config = new();
        List<string> dependsOn = [];
        foreach ((string key, JsonElement item) in properties)
        {
            string p = JsonPath.Property(path, key);
            config = key switch
            {
                "command" => config with { Command = Words(item, p) },
                "entrypoint" => config with { Entrypoint = Words(item, p) },
                "environment" => config with { Environment = Pairs(item, p) ?? config.Environment },
                "labels" => config with { Labels = Pairs(item, p) ?? config.Labels },
                "restart" => config with { Restart = Restart(item, p) },
                "stop_grace_period" => config with { StopGracePeriod = Duration(item, p) },
                "stop_signal" => config with { StopSignal = StringOrNumber(item, p) },
                "ports" => config with { Ports = Ports(item, p) },
                "expose" => config with { Expose = Expose(item, p) },
                "privileged" => config with { Privileged = checks.ReadBoolean(item, p) },
                "cap_add" => config with { CapAdd = Strings(item, p) },
                "cap_drop" => config with { CapDrop = Strings(item, p) },
                "devices" => config with { Devices = Devices(item, p) },
                "device_cgroup_rules" => config with { DeviceCgroupRules = Strings(item, p) },
                "dns" => config with { Dns = StringOrStrings(item, p) },
                "dns_opt" => config with { DnsOpt = Strings(item, p) },
                "dns_search" => config with { DnsSearch = StringOrStrings(item, p) },
                "extra_hosts" => config with { ExtraHosts = ExtraHosts(item, p) },
                "hostname" => config with { Hostname = checks.ReadString(item, p) },
                "domainname" => config with { Domainname = checks.ReadString(item, p) },
                "working_dir" => config with { WorkingDir = WorkingDir(item, p) },
                "user" => config with { User = StringOrNumber(item, p) },
                "tty" => config with { Tty = checks.ReadBoolean(item, p) },
                "stdin_open" => config with { StdinOpen = checks.ReadBoolean(item, p) },
                "init" => config with { Init = checks.ReadBoolean(item, p) },
                "read_only" => config with { ReadOnly = checks.ReadBoolean(item, p) },
                "tmpfs" => config with { Tmpfs = StringOrStrings(item, p) },
                "shm_size" => config with { ShmSize = Memory(item, p) },
                "sysctls" => config with { Sysctls = Pairs(item, p) ?? config.Sysctls },
                "ulimits" => config with { Ulimits = Ulimits(item, p) },
                "mem_limit" => config with { MemLimit = Memory(item, p) },
                "mem_reservation" => config with { MemReservation = Memory(item, p) },
                "cpu_shares" => config with { CpuShares = Integer(item, p) },
                "cpu_quota" => config with { CpuQuota = Integer(item, p) },
                "cpu_period" => config with { CpuPeriod = Integer(item, p) },
                "cpus" => config with { NanoCpus = Cpus(item, p) },
                "cpuset" => config with { Cpuset = checks.ReadString(item, p) },
                "security_opt" => config with { SecurityOpt = Strings(item, p) },
                "healthcheck" => config with { Healthcheck = Healthcheck(item, p) },
                "group_add" => config with { GroupAdd = Strings(item, p, allowNumbers: true) },
                "pid" => config with { Pid = checks.ReadString(item, p) },
                "pids_limit" => config with { PidsLimit = Integer(item, p) },
                "ipc" => config with { Ipc = checks.ReadString(item, p) },
                "oom_kill_disable" => config with { OomKillDisable = checks.ReadBoolean(item, p) },
                "oom_score_adj" => config with { OomScoreAdj = Integer(item, p) },
                "mac_address" => config with { MacAddress = checks.ReadString(item, p) },
                "cgroup_parent" => config with { CgroupParent = checks.ReadString(item, p) },
                "userns_mode" => config with { UsernsMode = checks.ReadString(item, p) },
                "storage_opt" => config with { StorageOpt = Pairs(item, p) ?? config.StorageOpt },
                "logging" => config with { Logging = Logging(item, p) },
                "volumes" => config with { Volumes = Mounts(item, p, declaredVolumes) },
                "network_mode" => config with { NetworkMode = NetworkMode(item, p, dependsOn) },
                "networks" => config with { Networks = networks.ReadServiceNetworks(item, p, declaredNetworks ?? []) ?? [] },
                "depends_on" => DependsOn(item, p, dependsOn, config),
                "image" => Image(item, p, config),
                _ => Unknown(key, p, config),
            };
        }

        // Compose lets a service either join networks or take a network mode, not both.
        if (properties.ContainsKey("networks") && properties.ContainsKey("network_mode"))
        {
            checks.Add(JsonPath.Property(path, "networks"), "a service with a network_mode joins no networks: remove one of network_mode and networks");
        }

        return checks.Count > before ? null : new ServiceComposition(config, [.. dependsOn.Distinct(StringComparer.Ordinal)]);
    }

    private ServiceConfig Unknown(string key, string path, ServiceConfig config)
    {
        checks.Add(path, Refused.TryGetValue(key, out string? why)
            ? $"\"{key}\" is not supported: {why}"
            : $"\"{key}\" is not a compose field the supervisor knows; remove it, or see docs/api.md for the fields it supports");
        return config;
    }

    // The top-level image is the one pulled; a composition may repeat it, as the compose file names it.
    private ServiceConfig Image(JsonElement value, string path, ServiceConfig config)
    {
        checks.ReadString(value, path);
        return config;
    }

    private List<string>? Words(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            string text = value.GetString()!;
            List<string>? words = ShellWords.Split(text, out string problem);
            if (words is null)
            {
                checks.Add(path, $"cannot split \"{text}\" into words: {problem}");
            }

            return words;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            return Strings(value, path);
        }

        checks.Expected(path, "a string or an array of strings", value);
        return null;
    }

    private List<string> Strings(JsonElement value, string path, bool allowNumbers = false)
    {
        List<string> items = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an array of strings", value);
            return items;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            if ((allowNumbers ? StringOrNumber(item, itemPath) : checks.ReadString(item, itemPath)) is { } text)
            {
                items.Add(text);
            }
        }

        return items;
    }

    private List<string> StringOrStrings(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? [value.GetString()!] : Strings(value, path);

    /// <summary>A string, or an integer written without quotes (<c>user: 1000</c>, <c>stop_signal: 9</c>).</summary>
    private string? StringOrNumber(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        checks.Expected(path, "a string or an integer", value);
        return null;
    }

    /// <summary>
    /// Compose's two spellings of a map: an object of scalars, or an array of <c>KEY=value</c> where the first '='
    /// ends the key and a key written twice takes its last value, as compose does. Numbers and booleans written
    /// without quotes are taken as their text.
    /// </summary>
    private OrderedDictionary<string, string>? Pairs(JsonElement value, string path)
    {
        int before = checks.Count;
        OrderedDictionary<string, string> pairs = new(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (Scalar(property.Value, JsonPath.Property(path, property.Name)) is { } text)
                {
                    pairs[property.Name] = text;
                }
            }

            return checks.Count == before ? pairs : null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an object or an array of \"KEY=value\" strings", value);
            return null;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            if (checks.ReadString(item, itemPath) is not { } pair)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                checks.Add(itemPath, $"expected \"KEY=value\", found \"{pair}\"");
                continue;
            }

            pairs[pair[..equals]] = pair[(equals + 1)..];
        }

        return checks.Count == before ? pairs : null;
    }

    private string? Scalar(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            default:
                checks.Expected(path, "a string, a number or a boolean", value);
                return null;
        }
    }

    private string? Restart(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        if (text is not null && !ContainerCreateParameters.RestartPolicies.ContainsKey(text))
        {
            checks.Add(path, $"unknown restart policy \"{text}\"; expected no, always, unless-stopped or on-failure");
            return null;
        }

        return text;
    }

    private TimeSpan? Duration(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        if (text is null)
        {
            return null;
        }

        if (ComposeDuration.TryParse(text, out TimeSpan duration))
        {
            return duration;
        }

        checks.Add(path, $"invalid duration \"{text}\"; expected a compose duration such as 10s, 1m30s, 500ms or 1h");
        return null;
    }

    private long? Integer(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
        {
            return parsed;
        }

        return checks.ReadInteger(value, path);
    }

    private long? Memory(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= 0)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && ComposeMemory.TryParse(value.GetString()!, out long bytes))
        {
            return bytes;
        }

        checks.Expected(path, ComposeMemory.Form, value);
        return null;
    }

    /// <summary>A number of CPUs, possibly fractional, as the engine's billionths of a CPU (balena's rounding).</summary>
    private long? Cpus(JsonElement value, string path)
    {
        double cpus = double.NaN;
        if (value.ValueKind == JsonValueKind.Number)
        {
            cpus = value.GetDouble();
        }
        else if (value.ValueKind == JsonValueKind.String)
        {
            _ = double.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out cpus);
        }

        if (double.IsNaN(cpus) || cpus <= 0 || cpus > 1e6)
        {
            checks.Expected(path, "a positive number of CPUs, such as 0.5 or 2", value);
            return null;
        }

        return (long)Math.Round(cpus * 1e9);
    }

    private List<ServicePort> Ports(JsonElement value, string path)
    {
        List<ServicePort> ports = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an array", value);
            return ports;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            if (item.ValueKind == JsonValueKind.Object)
            {
                if (LongPort(item, itemPath) is { } port)
                {
                    ports.Add(port);
                }

                continue;
            }

            string? text = StringOrNumber(item, itemPath);
            if (text is null)
            {
                continue;
            }

            if (ComposePorts.Parse(text, out string problem) is { } parsed)
            {
                ports.AddRange(parsed);
            }
            else
            {
                checks.Add(itemPath, problem);
            }
        }

        return ports;
    }

    private ServicePort? LongPort(JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement> properties = checks.ReadObject(value, path)!;
        int before = checks.Count;
        checks.RejectUnknownKeys(properties, path, "a port", ["target", "published", "protocol", "host_ip", "mode"]);
        long? target = checks.TryGetRequired(properties, "target", path, "a port needs its container port", out JsonElement t)
            ? Integer(t, JsonPath.Property(path, "target"))
            : null;
        long? published = properties.TryGetValue("published", out JsonElement pub) ? Integer(pub, JsonPath.Property(path, "published")) : target;
        string protocol = properties.TryGetValue("protocol", out JsonElement proto) ? checks.ReadString(proto, JsonPath.Property(path, "protocol")) ?? "tcp" : "tcp";
        string? hostIp = properties.TryGetValue("host_ip", out JsonElement ip) ? checks.ReadString(ip, JsonPath.Property(path, "host_ip")) : null;
        if (properties.TryGetValue("mode", out JsonElement mode) && checks.ReadString(mode, JsonPath.Property(path, "mode")) is { } m and not "host")
        {
            checks.Add(JsonPath.Property(path, "mode"), $"port mode \"{m}\" needs a swarm; expected host");
        }

        if (protocol is not ("tcp" or "udp"))
        {
            checks.Add(JsonPath.Property(path, "protocol"), $"unknown protocol \"{protocol}\"; expected tcp or udp");
        }

        if (target is not (null or (>= 1 and <= 65535)) || published is not (null or (>= 1 and <= 65535)))
        {
            checks.Add(path, "a port must be between 1 and 65535");
        }

        return checks.Count > before || target is null ? null : new ServicePort((int)target, (int)published!, protocol, hostIp);
    }

    private List<string> Expose(JsonElement value, string path)
    {
        List<string> ports = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an array", value);
            return ports;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            if (StringOrNumber(item, itemPath) is not { } text)
            {
                continue;
            }

            if (ComposePorts.Parse(text, out _) is [.. var parsed] && !text.Contains(':', StringComparison.Ordinal))
            {
                ports.AddRange(parsed.Select(p => $"{p.ContainerPort}/{p.Protocol}"));
            }
            else
            {
                checks.Add(itemPath, $"expected \"port[-end][/tcp|udp]\", found \"{text}\"");
            }
        }

        return ports;
    }

    private List<ServiceDevice> Devices(JsonElement value, string path)
    {
        List<ServiceDevice> devices = [];
        int index = 0;
        foreach (string text in Strings(value, path))
        {
            string itemPath = JsonPath.Index(path, index++);
            string[] parts = text.Split(':');
            if (parts.Length > 3 || parts[0].Length == 0 || !parts[0].StartsWith('/'))
            {
                checks.Add(itemPath, $"expected \"/dev/host[:/dev/container[:permissions]]\", found \"{text}\"");
                continue;
            }

            devices.Add(new ServiceDevice(
                parts[0],
                parts.Length > 1 && parts[1].Length > 0 ? parts[1] : parts[0],
                parts.Length > 2 ? parts[2] : "rwm"));
        }

        return devices;
    }

    /// <summary><c>host:ip</c> entries; balena's <c>host=ip</c> and compose's map form are written the same way.</summary>
    private List<string> ExtraHosts(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return [.. (Pairs(value, path) ?? []).Select(p => $"{p.Key}:{p.Value}")];
        }

        List<string> hosts = [];
        int index = 0;
        foreach (string text in Strings(value, path))
        {
            string itemPath = JsonPath.Index(path, index++);
            int equals = text.IndexOf('=', StringComparison.Ordinal);
            string entry = equals > 0 ? string.Concat(text.AsSpan(0, equals), ":", text.AsSpan(equals + 1)) : text;
            if (entry.IndexOf(':', StringComparison.Ordinal) <= 0)
            {
                checks.Add(itemPath, $"expected \"host:ip\", found \"{text}\"");
                continue;
            }

            hosts.Add(entry);
        }

        return hosts;
    }

    /// <summary>As balena: a trailing '/' is dropped, so <c>/app/</c> and <c>/app</c> are the same folder.</summary>
    private string? WorkingDir(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        return text is { Length: > 1 } && text.EndsWith('/') ? text.TrimEnd('/') : text;
    }

    private List<ServiceUlimit> Ulimits(JsonElement value, string path)
    {
        List<ServiceUlimit> limits = [];
        if (checks.ReadObject(value, path) is not { } properties)
        {
            return limits;
        }

        foreach ((string name, JsonElement item) in properties)
        {
            string itemPath = JsonPath.Property(path, name);
            if (item.ValueKind == JsonValueKind.Object)
            {
                OrderedDictionary<string, JsonElement> bounds = checks.ReadObject(item, itemPath)!;
                checks.RejectUnknownKeys(bounds, itemPath, "a ulimit", ["soft", "hard"]);
                long? soft = checks.TryGetRequired(bounds, "soft", itemPath, "a ulimit object needs soft and hard", out JsonElement s) ? Integer(s, JsonPath.Property(itemPath, "soft")) : null;
                long? hard = checks.TryGetRequired(bounds, "hard", itemPath, "a ulimit object needs soft and hard", out JsonElement h) ? Integer(h, JsonPath.Property(itemPath, "hard")) : null;
                if (soft is { } low && hard is { } high)
                {
                    limits.Add(new ServiceUlimit(name, low, high));
                }
            }
            else if (Integer(item, itemPath) is { } both)
            {
                limits.Add(new ServiceUlimit(name, both, both));
            }
        }

        return limits;
    }

    private ServiceHealthcheck? Healthcheck(JsonElement value, string path)
    {
        if (checks.ReadObject(value, path) is not { } properties)
        {
            return null;
        }

        checks.RejectUnknownKeys(properties, path, "a healthcheck", ["test", "interval", "timeout", "start_period", "retries", "disable"]);
        ServiceHealthcheck check = new();
        foreach ((string key, JsonElement item) in properties)
        {
            string p = JsonPath.Property(path, key);
            check = key switch
            {
                "test" => check with { Test = item.ValueKind == JsonValueKind.String ? ["CMD-SHELL", item.GetString()!] : Strings(item, p) },
                "interval" => check with { Interval = Duration(item, p) },
                "timeout" => check with { Timeout = Duration(item, p) },
                "start_period" => check with { StartPeriod = Duration(item, p) },
                "retries" => check with { Retries = Integer(item, p) },
                _ => check,
            };
        }

        if (properties.TryGetValue("disable", out JsonElement disable) && checks.ReadBoolean(disable, JsonPath.Property(path, "disable")) == true)
        {
            check = check with { Test = ["NONE"] };
        }

        return check;
    }

    private ServiceLogging? Logging(JsonElement value, string path)
    {
        if (checks.ReadObject(value, path) is not { } properties)
        {
            return null;
        }

        checks.RejectUnknownKeys(properties, path, "logging", ["driver", "options"]);
        string? driver = checks.TryGetRequired(properties, "driver", path, "logging needs a driver", out JsonElement d)
            ? checks.ReadString(d, JsonPath.Property(path, "driver"))
            : null;
        OrderedDictionary<string, string>? options = properties.TryGetValue("options", out JsonElement o)
            ? Pairs(o, JsonPath.Property(path, "options"))
            : [];
        return driver is null || options is null ? null : new ServiceLogging(driver, options);
    }

    /// <summary>
    /// <c>host</c>, <c>none</c> and <c>bridge</c> as the engine takes them, and <c>service:NAME</c>, which also makes
    /// the service wait for NAME (checked against the release by the caller).
    /// </summary>
    private string? NetworkMode(JsonElement value, string path, List<string> dependsOn)
    {
        string? mode = checks.ReadString(value, path);
        switch (mode)
        {
            case null:
                return null;
            case "host" or "none" or "bridge":
                return mode;
            case { } when mode.StartsWith(ServiceConfig.ServiceNetworkModePrefix, StringComparison.Ordinal) && mode.Length > ServiceConfig.ServiceNetworkModePrefix.Length:
                string peer = mode[ServiceConfig.ServiceNetworkModePrefix.Length..].Trim();
                dependsOn.Add(peer);
                return ServiceConfig.ServiceNetworkModePrefix + peer;
            default:
                checks.Add(path, $"network_mode \"{mode}\" is not supported; expected host, none, bridge or service:NAME");
                return null;
        }
    }

    /// <summary>The list form, or the map form whose conditions may only be <c>service_started</c> (the default).</summary>
    private ServiceConfig DependsOn(JsonElement value, string path, List<string> dependsOn, ServiceConfig config)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in value.EnumerateObject())
            {
                string itemPath = JsonPath.Property(path, property.Name);
                if (checks.ReadObject(property.Value, itemPath) is not { } options)
                {
                    continue;
                }

                checks.RejectUnknownKeys(options, itemPath, "a dependency", ["condition"]);
                if (options.TryGetValue("condition", out JsonElement condition)
                    && checks.ReadString(condition, JsonPath.Property(itemPath, "condition")) is { } text and not "service_started")
                {
                    checks.Add(JsonPath.Property(itemPath, "condition"), $"condition \"{text}\" is not supported; a service starts once those it depends on have started (service_started)");
                }

                dependsOn.Add(property.Name);
            }
        }
        else
        {
            dependsOn.AddRange(Strings(value, path));
        }

        return config;
    }

    private List<ServiceVolume> Mounts(JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        List<ServiceVolume> mounts = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an array", value);
            return mounts;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            ServiceVolume? mount = item.ValueKind switch
            {
                JsonValueKind.String => ShortMount(item.GetString()!, itemPath, declaredVolumes),
                JsonValueKind.Object => LongMount(item, itemPath, declaredVolumes),
                _ => null,
            };
            if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
            {
                checks.Expected(itemPath, $"a string {ShortMountForm} or an object", item);
            }

            if (mount is not null)
            {
                mounts.Add(mount);
            }
        }

        return mounts;
    }

    private ServiceVolume? ShortMount(string text, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 1)
        {
            return Anonymous(text, path);
        }

        if (parts.Length > 3)
        {
            checks.Add(path, $"expected {ShortMountForm}, found \"{text}\"");
            return null;
        }

        bool readOnly = false;
        if (parts.Length == 3)
        {
            if (parts[2] is not ("ro" or "rw"))
            {
                checks.Add(path, $"unknown mode \"{parts[2]}\" in \"{text}\"; expected ro or rw");
                return null;
            }

            readOnly = parts[2] == "ro";
        }

        return Named(bindsHost: parts[0].StartsWith('/'), parts[0], parts[1], readOnly, noCopy: false, path, declaredVolumes);
    }

    private ServiceVolume? LongMount(JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        OrderedDictionary<string, JsonElement> properties = checks.ReadObject(value, path)!;
        int before = checks.Count;
        checks.RejectUnknownKeys(properties, path, "a mount", ["type", "source", "target", "read_only", "volume", "tmpfs"]);
        string? Read(string key) =>
            properties.TryGetValue(key, out JsonElement item) ? checks.ReadString(item, JsonPath.Property(path, key)) : null;

        string? type = checks.TryGetRequired(properties, "type", path, "a mount needs a type", out _) ? Read("type") : null;
        string? source = Read("source");
        string? target = checks.TryGetRequired(properties, "target", path, "a mount needs a target", out _) ? Read("target") : null;
        bool readOnly = properties.TryGetValue("read_only", out JsonElement readOnlyValue)
            && (checks.ReadBoolean(readOnlyValue, JsonPath.Property(path, "read_only")) ?? false);
        JsonElement? Option(string group, string key)
        {
            string groupPath = JsonPath.Property(path, group);
            if (!properties.TryGetValue(group, out JsonElement options) || checks.ReadObject(options, groupPath) is not { } read)
            {
                return null;
            }

            checks.RejectUnknownKeys(read, groupPath, $"{group} options", [key]);
            return read.TryGetValue(key, out JsonElement value) ? value : null;
        }

        bool noCopy = Option("volume", "nocopy") is { } nocopy
            && (checks.ReadBoolean(nocopy, JsonPath.Property(JsonPath.Property(path, "volume"), "nocopy")) ?? false);
        long? tmpfsSize = Option("tmpfs", "size") is { } size
            ? Memory(size, JsonPath.Property(JsonPath.Property(path, "tmpfs"), "size"))
            : null;
        if (checks.Count > before || type is null || target is null)
        {
            return null;
        }

        switch (type)
        {
            case "tmpfs" when source is not null:
                checks.Add(JsonPath.Property(path, "source"), "a tmpfs has no source: give only its target");
                return null;
            case "tmpfs":
                return Target(target, path) ? new ServiceVolume { Type = ServiceVolume.TmpfsType, Target = target, ReadOnly = readOnly, TmpfsSize = tmpfsSize } : null;
            case "volume" when source is null or "":
                return Anonymous(target, path) is { } anonymous ? anonymous with { ReadOnly = readOnly, NoCopy = noCopy } : null;
            case "volume" or "bind" when source is not null:
                return Named(bindsHost: type == "bind", source, target, readOnly, noCopy, path, declaredVolumes);
            case "bind":
                checks.Add(path, "a bind mount needs a source, and a release cannot mount the device's host");
                return null;
            default:
                checks.Add(JsonPath.Property(path, "type"), $"unsupported mount type \"{type}\"; expected volume or tmpfs");
                return null;
        }
    }

    private ServiceVolume? Anonymous(string target, string path) =>
        Target(target, path) ? new ServiceVolume { Target = target } : null;

    private bool Target(string target, string path)
    {
        if (target.StartsWith('/'))
        {
            return true;
        }

        checks.Add(path, $"the target \"{target}\" must be an absolute path in the container");
        return false;
    }

    /// <param name="bindsHost">The mount binds a host path (a short form whose source is absolute, or a long <c>bind</c>).</param>
    private ServiceVolume? Named(
        bool bindsHost, string source, string target, bool readOnly, bool noCopy, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        int before = checks.Count;

        // balena never lets a release mount the device's host (it drops such binds with a warning; only its feature
        // labels bind host paths). Dropping it here would run the service without what it asked for, so it is refused.
        // A relative path would be resolved against a compose file the device never sees, so it is refused rather
        // than taken as a volume name that merely looks like a path.
        if (bindsHost)
        {
            checks.Add(path, $"binds the host path \"{source}\": a release cannot mount the device's host; mount a named volume declared in the release's volumes");
        }
        else if (source.Length == 0 || source[0] is '.' or '~' || source.Contains('/', StringComparison.Ordinal))
        {
            checks.Add(path, $"\"{source}\" is not a volume name: a release mounts named volumes declared in its volumes");
        }
        else if (declaredVolumes is not null && !declaredVolumes.Contains(source))
        {
            checks.Add(path, $"the volume \"{source}\" is not declared in the release's volumes");
        }

        _ = Target(target, path);
        return checks.Count == before ? new ServiceVolume { Source = source, Target = target, ReadOnly = readOnly, NoCopy = noCopy } : null;
    }
}
