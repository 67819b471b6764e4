using Supervisor.Activities.Networks;
using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
using Supervisor.Reconciler.Target;
using static Supervisor.Tests.Reconciler.Target.TargetStateDocuments;

namespace Supervisor.Tests.Reconciler.Target;

public class ServiceCompositionTests
{
    public static TheoryData<string, string[]> Commands => new()
    {
        { "\"npm start\"", ["npm", "start"] },
        { "\"  spaced \\t  out  \"", ["spaced", "out"] },
        { "\"sh -c 'echo $HOME; ls | wc'\"", ["sh", "-c", "echo $HOME; ls | wc"] },
        { "\"echo \\\"a b\\\" c\"", ["echo", "a b", "c"] },
        { "\"echo \\\"say \\\\\\\"hi\\\\\\\"\\\"\"", ["echo", "say \"hi\""] },
        { "\"a'b c'd\"", ["ab cd"] },
        { "\"x '' y\"", ["x", "", "y"] },
        { "\"a\\\\ b\"", ["a b"] },
        { "\"\"", [] },
        { "[\"sh\", \"-c\", \"echo 'a b'\"]", ["sh", "-c", "echo 'a b'"] },
        { "[]", [] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_and_entrypoint_take_a_string_or_an_array(string command, string[] words)
    {
        TargetService service = Parse($$"""{ "command": {{command}}, "entrypoint": {{command}} }""");

        Assert.Equal(words, service.Config.Command);
        Assert.Equal(words, service.Config.Entrypoint);
    }

    [Fact]
    public void Networks_are_a_list_of_names_or_a_map_with_aliases_and_addresses()
    {
        const string Declared = """{ "front": {}, "back": null }""";
        TargetService listed = ParseService(WithComposition("""{ "networks": ["front", "default"] }""", releaseNetworks: Declared));
        TargetService mapped = ParseService(WithComposition(
            """{ "networks": { "front": { "aliases": ["api"], "ipv4_address": "10.9.0.5", "link_local_ips": ["169.254.0.9"] }, "back": null } }""",
            releaseNetworks: Declared));

        Assert.Equal(["front", "default"], listed.Config.Networks.Select(n => n.Name));
        ServiceNetwork front = mapped.Config.Networks[0];
        Assert.Equal(("front", "10.9.0.5", null), (front.Name, front.Ipv4Address, front.Ipv6Address));
        Assert.Equal(["api"], front.Aliases);
        Assert.Equal(["169.254.0.9"], front.LinkLocalIps);
        Assert.Equal(new ServiceNetwork { Name = "back" }, mapped.Config.Networks[1] with { Aliases = [], LinkLocalIps = [] });
    }

    [Fact]
    public void A_release_volume_keeps_its_declared_options()
    {
        TargetStateParseResult result = TargetStateParser.Parse(WithComposition(
            """{ "volumes": ["data:/data"] }""",
            releaseVolumes: """{ "data": { "driver": "local", "driver_opts": { "type": "tmpfs", "device": "tmpfs", "o": "size=1m" }, "labels": { "tier": "hot" } } }"""));

        Assert.True(result.IsValid, result.ToString());
        VolumeConfig data = result.State!.Apps.Values.Single().Release!.Volumes["data"];
        Assert.Equal("local", data.Driver);
        Assert.Equal("size=1m", data.DriverOpts["o"]);
        Assert.Equal("hot", data.Labels["tier"]);
    }

    [Fact]
    public void A_release_network_keeps_its_declared_options()
    {
        TargetStateParseResult result = TargetStateParser.Parse(WithComposition("{}", releaseNetworks: """
            { "front": { "driver": "bridge", "internal": true, "enable_ipv6": false, "driver_opts": { "com.docker.network.bridge.name": "front0" },
                         "labels": { "com.example.tier": "front" },
                         "ipam": { "driver": "default", "config": [{ "subnet": "10.9.0.0/24", "gateway": "10.9.0.1", "ip_range": "10.9.0.128/25",
                                                                     "aux_addresses": { "printer": "10.9.0.2" } }] } },
              "plain": null }
            """));

        Assert.True(result.IsValid, result.ToString());
        var networks = result.State!.Apps.Values.Single().Release!.Networks;
        var front = networks["front"];
        Assert.Equal(("bridge", true, false), (front.Driver, front.Internal, front.EnableIpv6));
        Assert.Equal("front0", front.DriverOpts["com.docker.network.bridge.name"]);
        Assert.Equal("front", front.Labels["com.example.tier"]);
        Assert.Equal("default", front.Ipam!.Driver);
        NetworkPool pool = Assert.Single(front.Ipam.Config);
        Assert.Equal(("10.9.0.0/24", "10.9.0.1", "10.9.0.128/25"), (pool.Subnet, pool.Gateway, pool.IpRange));
        Assert.Equal("10.9.0.2", pool.AuxAddresses["printer"]);
        Assert.Null(AppNetworks.Fingerprint(networks["plain"]));
        Assert.NotNull(AppNetworks.Fingerprint(front));
    }

    [Fact]
    public void The_services_own_environment_and_labels_win_over_the_compositions()
    {
        string json = WithService($$"""
            { "image": "{{Image}}",
              "environment": { "SHARED": "top", "TOP": "1" },
              "labels": { "io.balena.x": "top" },
              "composition": {
                "environment": ["SHARED=composition", "ONLY_COMPOSE=a=b", "EMPTY="],
                "labels": { "io.balena.x": "composition", "io.balena.y": "composition" } } }
            """);

        TargetService service = ParseService(json);

        Assert.Equal(
            new Dictionary<string, string> { ["SHARED"] = "top", ["ONLY_COMPOSE"] = "a=b", ["EMPTY"] = "", ["TOP"] = "1" },
            service.Environment);
        Assert.Equal(
            new Dictionary<string, string> { ["io.balena.x"] = "top", ["io.balena.y"] = "composition" },
            service.Labels);
        Assert.Equal(service.Environment, service.Config.Environment);
        Assert.Equal(service.Labels, service.Config.Labels);
    }

    [Fact]
    public void Environment_and_labels_may_be_objects_or_arrays()
    {
        TargetService service = Parse("""{ "environment": { "A": "1" }, "labels": ["l.a=1", "l.a=2"] }""");

        Assert.Equal("1", service.Environment["A"]);
        Assert.Equal("2", service.Labels["l.a"]);
    }

    [Fact]
    public void Volumes_take_the_short_and_the_long_syntax()
    {
        string json = WithComposition(
            """
            { "volumes": [
                "data:/data",
                "data:/data-ro:ro",
                "data:/data-rw:rw",
                { "type": "volume", "source": "cache", "target": "/cache" },
                { "type": "volume", "source": "cache", "target": "/cache-ro", "read_only": true } ] }
            """,
            releaseVolumes: """{ "data": {}, "cache": null }""");

        TargetService service = ParseService(json);

        Assert.Equal(
            [
                new ServiceVolume { Source = "data", Target = "/data" },
                new ServiceVolume { Source = "data", Target = "/data-ro", ReadOnly = true },
                new ServiceVolume { Source = "data", Target = "/data-rw" },
                new ServiceVolume { Source = "cache", Target = "/cache" },
                new ServiceVolume { Source = "cache", Target = "/cache-ro", ReadOnly = true },
            ],
            service.Config.Volumes);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h5m7s", 3_907_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void Stop_grace_period_takes_compose_durations(string period, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse($$"""{ "stop_grace_period": "{{period}}" }""").StopGracePeriod);

    [Theory]
    [InlineData("1500us", 15_000)]
    [InlineData("1500µs", 15_000)]
    [InlineData("300ns", 3)]
    public void Stop_grace_period_takes_small_units_to_the_tick(string period, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), Parse($$"""{ "stop_grace_period": "{{period}}" }""").StopGracePeriod);

    [Theory]
    [InlineData("no")]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    [InlineData("on-failure")]
    public void Restart_takes_the_four_policies(string restart) =>
        Assert.Equal(restart, Parse($$"""{ "restart": "{{restart}}" }""").Config.Restart);

    [Fact]
    public void An_empty_composition_declares_nothing_and_keeps_balenas_grace_period()
    {
        TargetService service = Parse("{}");

        Assert.Equal(new System.Text.Json.Nodes.JsonObject().ToJsonString(), DeclaredConfigJson.Of(service.Config).ToJsonString());
        Assert.Equal(TimeSpan.FromSeconds(10), service.StopGracePeriod);
        Assert.Empty(service.DependsOn);
    }

    [Fact]
    public void Every_supported_field_is_read_into_the_config()
    {
        TargetService service = Parse("""
            {
              "image": "ignored/as-the-top-level-one-is-used",
              "ports": ["8080:80", "127.0.0.1:5353:53/udp", "9000-9001:7000-7001", 22, { "target": 443, "published": 8443, "host_ip": "0.0.0.0" }],
              "expose": ["3000", "4000-4001/udp"],
              "privileged": true, "cap_add": ["NET_ADMIN"], "cap_drop": ["MKNOD"],
              "devices": ["/dev/ttyUSB0", "/dev/i2c-1:/dev/i2c:r"], "device_cgroup_rules": ["c 189:* rmw"],
              "dns": "1.1.1.1", "dns_opt": ["ndots:2"], "dns_search": ["lan"],
              "extra_hosts": ["db=10.0.0.2", "cache:10.0.0.3"],
              "hostname": "box", "domainname": "lan", "working_dir": "/app/", "user": 1000,
              "tty": false, "stdin_open": true, "init": true, "read_only": true,
              "tmpfs": "/run:size=1m", "shm_size": "128m",
              "sysctls": { "net.core.somaxconn": 1024 },
              "ulimits": { "nofile": { "soft": 1024, "hard": 2048 }, "nproc": 64 },
              "mem_limit": "512m", "mem_reservation": 1048576,
              "cpu_shares": "512", "cpu_quota": 50000, "cpu_period": 100000, "cpus": 1.5, "cpuset": "0",
              "security_opt": ["no-new-privileges"],
              "healthcheck": { "test": "curl -f localhost", "interval": "30s", "timeout": "5s", "start_period": "1m", "retries": 3 },
              "group_add": ["dialout", 44], "pid": "host", "pids_limit": 100, "ipc": "private",
              "oom_kill_disable": true, "oom_score_adj": -500, "mac_address": "02:42:ac:11:00:02",
              "cgroup_parent": "apps", "userns_mode": "host", "storage_opt": { "size": "1G" },
              "logging": { "driver": "json-file", "options": { "max-size": "10m" } },
              "stop_signal": "SIGINT", "stop_grace_period": "30s",
              "volumes": ["/scratch", { "type": "tmpfs", "target": "/cache", "tmpfs": { "size": "1m" } }, { "type": "volume", "target": "/anon", "volume": { "nocopy": true } }]
            }
            """);

        ServiceConfig expected = new()
        {
            Ports =
            [
                new ServicePort(80, 8080), new ServicePort(53, 5353, "udp", "127.0.0.1"),
                new ServicePort(7000, 9000), new ServicePort(7001, 9001), new ServicePort(22, 22), new ServicePort(443, 8443, HostIp: "0.0.0.0"),
            ],
            Expose = ["3000/tcp", "4000/udp", "4001/udp"],
            Privileged = true, CapAdd = ["NET_ADMIN"], CapDrop = ["MKNOD"],
            Devices = [new ServiceDevice("/dev/ttyUSB0", "/dev/ttyUSB0"), new ServiceDevice("/dev/i2c-1", "/dev/i2c", "r")],
            DeviceCgroupRules = ["c 189:* rmw"],
            Dns = ["1.1.1.1"], DnsOpt = ["ndots:2"], DnsSearch = ["lan"],
            ExtraHosts = ["db:10.0.0.2", "cache:10.0.0.3"],
            Hostname = "box", Domainname = "lan", WorkingDir = "/app", User = "1000",
            Tty = false, StdinOpen = true, Init = true, ReadOnly = true,
            Tmpfs = ["/run:size=1m"], ShmSize = 128L << 20,
            Sysctls = new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" },
            Ulimits = [new ServiceUlimit("nofile", 1024, 2048), new ServiceUlimit("nproc", 64, 64)],
            MemLimit = 512L << 20, MemReservation = 1048576,
            CpuShares = 512, CpuQuota = 50000, CpuPeriod = 100000, NanoCpus = 1_500_000_000, Cpuset = "0",
            SecurityOpt = ["no-new-privileges"],
            Healthcheck = new ServiceHealthcheck
            {
                Test = ["CMD-SHELL", "curl -f localhost"], Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(5),
                StartPeriod = TimeSpan.FromMinutes(1), Retries = 3,
            },
            GroupAdd = ["dialout", "44"], Pid = "host", PidsLimit = 100, Ipc = "private",
            OomKillDisable = true, OomScoreAdj = -500, MacAddress = "02:42:ac:11:00:02",
            CgroupParent = "apps", UsernsMode = "host",
            StorageOpt = new Dictionary<string, string> { ["size"] = "1G" },
            Logging = new ServiceLogging("json-file", new Dictionary<string, string> { ["max-size"] = "10m" }),
            StopSignal = "SIGINT", StopGracePeriod = TimeSpan.FromSeconds(30),
            Volumes =
            [
                new ServiceVolume { Target = "/scratch" },
                new ServiceVolume { Type = ServiceVolume.TmpfsType, Target = "/cache", TmpfsSize = 1 << 20 },
                new ServiceVolume { Target = "/anon", NoCopy = true },
            ],
        };
        AssertSameConfig(expected, service.Config);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    [InlineData("bridge")]
    public void Network_mode_takes_the_engines_modes(string mode) =>
        Assert.Equal(mode, Parse($$"""{ "network_mode": "{{mode}}" }""").Config.NetworkMode);

    [Fact]
    public void A_service_network_mode_and_depends_on_make_the_service_wait()
    {
        string json = WithService($$"""
            { "image": "{{Image}}", "composition": { "network_mode": "service: vpn", "depends_on": { "db": { "condition": "service_started" } } } },
            "vpn": { "image": "{{Image}}" },
            "db": { "image": "{{Image}}", "composition": { "depends_on": ["vpn"] } }
            """);

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.True(result.IsValid, result.ToString());
        var services = result.State.Apps[App].Release!.Services;
        Assert.Equal("service:vpn", services["main"].Config.NetworkMode);
        Assert.Equal(["vpn", "db"], services["main"].DependsOn);
        Assert.Equal(["vpn"], services["db"].DependsOn);
    }

    [Theory]
    [InlineData("512", 512)]
    [InlineData("1k", 1024)]
    [InlineData("512m", 512L << 20)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("10b", 10)]
    public void Memory_sizes_are_read_in_powers_of_1024(string size, long bytes) =>
        Assert.Equal(bytes, Parse($$"""{ "mem_limit": "{{size}}" }""").Config.MemLimit);

    /// <summary>Records holding lists compare the lists by reference; their JSON compares them by value.</summary>
    private static void AssertSameConfig(ServiceConfig expected, ServiceConfig actual) =>
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(expected, Supervisor.Workflows.Activities.WorkflowJson.Options),
            System.Text.Json.JsonSerializer.Serialize(actual, Supervisor.Workflows.Activities.WorkflowJson.Options));

    private static TargetService Parse(string composition) => ParseService(WithComposition(composition));

    private static TargetService ParseService(string json)
    {
        TargetStateParseResult result = TargetStateParser.Parse(json);
        Assert.True(result.IsValid, result.ToString());
        return result.State.Apps[App].Release!.Services["main"];
    }
}
