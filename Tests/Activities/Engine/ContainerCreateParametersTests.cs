// The engine model declares every member nullable; the asserts below are what check that each one is set.
#pragma warning disable CS8600, CS8602, CS8604
using Docker.DotNet.Models;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services.Config;
using ContainerSpec = Supervisor.Activities.Engine.ContainerSpec;
using ServiceConfig = Supervisor.Activities.Services.Config.ServiceConfig;

namespace Supervisor.Tests.Activities.Engine;

public class ContainerCreateParametersTests
{
    private static CreateContainerParameters From(ServiceConfig config, IReadOnlyList<string>? imageCommand = null) =>
        ContainerCreateParameters.From(new ContainerSpec { Name = "main_1_2_abc", Image = "app:1", Config = config, ImageCommand = imageCommand });

    [Fact]
    public void What_the_release_leaves_unset_takes_balenas_defaults()
    {
        CreateContainerParameters create = From(new ServiceConfig());

        Assert.True(create.Tty);
        Assert.Null(create.Cmd);
        Assert.Null(create.Entrypoint);
        Assert.Equal(TimeSpan.FromSeconds(10), create.StopTimeout);
        Assert.Equal("shareable", create.HostConfig.IpcMode);
        Assert.Equal(64L * 1024 * 1024, create.HostConfig.ShmSize);
        Assert.Equal(RestartPolicyKind.Always, create.HostConfig.RestartPolicy.Name);
        Assert.Null(create.HostConfig.Init);
        Assert.False(create.HostConfig.Privileged);
        Assert.Null(create.HostConfig.PortBindings);
        Assert.Null(create.HostConfig.NetworkMode);
        Assert.Empty(create.HostConfig.Binds);
    }

    [Fact]
    public void An_entrypoint_alone_keeps_the_images_command_as_balena_does()
    {
        CreateContainerParameters create = From(new ServiceConfig { Entrypoint = ["/init"] }, imageCommand: ["npm", "start"]);

        Assert.Equal(["/init"], create.Entrypoint);
        Assert.Equal(["npm", "start"], create.Cmd);
    }

    [Fact]
    public void Every_field_reaches_its_engine_field()
    {
        ServiceConfig config = new()
        {
            Command = ["run"], Entrypoint = ["/init"],
            Environment = new Dictionary<string, string> { ["A"] = "1" },
            Labels = new Dictionary<string, string> { ["l"] = "v" },
            Restart = "on-failure", StopGracePeriod = TimeSpan.FromSeconds(3), StopSignal = "SIGINT",
            Ports = [new ServicePort(80, 8080), new ServicePort(80, 8081, "tcp", "127.0.0.1"), new ServicePort(53, 53, "udp")],
            Expose = ["3000/tcp"],
            Privileged = true, CapAdd = ["NET_ADMIN"], CapDrop = ["MKNOD"],
            Devices = [new ServiceDevice("/dev/a", "/dev/b", "r")], DeviceCgroupRules = ["c 1:3 r"],
            Dns = ["1.1.1.1"], DnsOpt = ["ndots:2"], DnsSearch = ["lan"], ExtraHosts = ["db:10.0.0.2"],
            Hostname = "box", Domainname = "lan", WorkingDir = "/app", User = "1000",
            Tty = false, StdinOpen = true, Init = true, ReadOnly = true,
            Tmpfs = ["/run:size=1m", "/tmp"], ShmSize = 1024,
            Sysctls = new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" },
            Ulimits = [new ServiceUlimit("nofile", 10, 20)],
            MemLimit = 100, MemReservation = 50, CpuShares = 512, CpuQuota = 5000, CpuPeriod = 10000, NanoCpus = 1_500_000_000, Cpuset = "0-1",
            SecurityOpt = ["no-new-privileges"],
            Healthcheck = new ServiceHealthcheck { Test = ["CMD", "true"], Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(1), StartPeriod = TimeSpan.FromSeconds(2), Retries = 3 },
            GroupAdd = ["dialout"], Pid = "host", PidsLimit = 100, Ipc = "private",
            OomKillDisable = true, OomScoreAdj = -5, MacAddress = "02:42:ac:11:00:02", CgroupParent = "apps", UsernsMode = "host",
            StorageOpt = new Dictionary<string, string> { ["size"] = "1G" },
            Logging = new ServiceLogging("json-file", new Dictionary<string, string> { ["max-size"] = "1m" }),
            NetworkMode = "host",
            Volumes =
            [
                new ServiceVolume { Source = "app_data", Target = "/data", ReadOnly = true },
                new ServiceVolume { Target = "/scratch" },
                new ServiceVolume { Source = "app_cache", Target = "/cache", NoCopy = true },
                new ServiceVolume { Type = ServiceVolume.TmpfsType, Target = "/fast", TmpfsSize = 4096 },
            ],
        };

        CreateContainerParameters create = ContainerCreateParameters.From(new ContainerSpec
        {
            Name = "main_1_2_abc", Image = "app:1", Config = config, HostBinds = ["/locks/1/main:/tmp/balena"],
        });
        HostConfig host = create.HostConfig;

        Assert.Equal("main_1_2_abc", create.Name);
        Assert.Equal("app:1", create.Image);
        Assert.Equal(["run"], create.Cmd);
        Assert.Equal(["/init"], create.Entrypoint);
        Assert.Equal(["A=1"], create.Env);
        Assert.Equal("v", create.Labels["l"]);
        Assert.Equal(RestartPolicyKind.OnFailure, host.RestartPolicy.Name);
        Assert.Equal(TimeSpan.FromSeconds(3), create.StopTimeout);
        Assert.Equal("SIGINT", create.StopSignal);
        Assert.Equal(["3000/tcp", "53/udp", "80/tcp"], create.ExposedPorts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([("", "8080"), ("127.0.0.1", "8081")], host.PortBindings["80/tcp"].Select(b => (b.HostIP, b.HostPort)));
        Assert.Equal([("", "53")], host.PortBindings["53/udp"].Select(b => (b.HostIP, b.HostPort)));
        Assert.True(host.Privileged);
        Assert.Equal(["NET_ADMIN"], host.CapAdd);
        Assert.Equal(["MKNOD"], host.CapDrop);
        DeviceMapping device = Assert.Single(host.Devices);
        Assert.Equal(("/dev/a", "/dev/b", "r"), (device.PathOnHost, device.PathInContainer, device.CgroupPermissions));
        Assert.Equal(["c 1:3 r"], host.DeviceCgroupRules);
        Assert.Equal(["1.1.1.1"], host.DNS);
        Assert.Equal(["ndots:2"], host.DNSOptions);
        Assert.Equal(["lan"], host.DNSSearch);
        Assert.Equal(["db:10.0.0.2"], host.ExtraHosts);
        Assert.Equal(("box", "lan", "/app", "1000"), (create.Hostname, create.Domainname, create.WorkingDir, create.User));
        Assert.False(create.Tty);
        Assert.True(create.OpenStdin);
        Assert.True(host.Init);
        Assert.True(host.ReadonlyRootfs);
        Assert.Equal(new Dictionary<string, string> { ["/run"] = "size=1m", ["/tmp"] = "" }, host.Tmpfs);
        Assert.Equal(1024, host.ShmSize);
        Assert.Equal("1024", host.Sysctls["net.core.somaxconn"]);
        Ulimit ulimit = Assert.Single(host.Ulimits);
        Assert.Equal(("nofile", 10L, 20L), (ulimit.Name, ulimit.Soft, ulimit.Hard));
        Assert.Equal((100L, 50L, 512L, 5000L, 10000L, 1_500_000_000L, "0-1"), (host.Memory, host.MemoryReservation, host.CPUShares, host.CPUQuota, host.CPUPeriod, host.NanoCPUs, host.CpusetCpus));
        Assert.Equal(["no-new-privileges"], host.SecurityOpt);
        Assert.Equal(["CMD", "true"], create.Healthcheck.Test);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3L), (create.Healthcheck.Interval!.Value, create.Healthcheck.Timeout!.Value, create.Healthcheck.StartPeriod!.Value, (long)create.Healthcheck.Retries!));
        Assert.Equal(["dialout"], host.GroupAdd);
        Assert.Equal(("host", 100L, "private"), (host.PidMode, host.PidsLimit!.Value, host.IpcMode));
        Assert.True(host.OomKillDisable);
        Assert.Equal(-5, host.OomScoreAdj);
        Assert.Equal("02:42:ac:11:00:02", create.NetworkingConfig.EndpointsConfig["host"].MacAddress);
        Assert.Equal(("apps", "host"), (host.CgroupParent, host.UsernsMode));
        Assert.Equal("1G", host.StorageOpt["size"]);
        Assert.Equal(("json-file", "1m"), (host.LogConfig.Type, host.LogConfig.Config["max-size"]));
        Assert.Equal("host", host.NetworkMode);
        Assert.Equal(["/locks/1/main:/tmp/balena", "app_data:/data:ro"], host.Binds);
        Assert.Equal(["/scratch"], create.Volumes.Keys);
        Assert.Collection(
            host.Mounts,
            m => Assert.Equal(("volume", "app_cache", "/cache", true), (m.Type, m.Source, m.Target, m.VolumeOptions.NoCopy)),
            m => Assert.Equal(("tmpfs", "/fast", 4096L), (m.Type, m.Target, m.TmpfsOptions.SizeBytes)));
    }
}
