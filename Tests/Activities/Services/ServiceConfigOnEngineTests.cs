using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Services;

/// <summary>
/// A composition with every kind of field, read as a target, planned, and created by the shipped
/// <c>create-service</c> workflow on the real engine: each field is checked on the container and, where it shows,
/// by what the running service sees.
/// </summary>
public sealed class ServiceConfigOnEngineTests : IAsyncLifetime
{
    private static readonly string[] SleepCommand = ["sleep", "600"];

    private ServiceWorkflowDevice _device = null!;

    public async Task InitializeAsync() => _device = await ServiceWorkflowDevice.StartAsync("compose");

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task Every_field_of_the_composition_reaches_the_container()
    {
        int port = FreeLoopbackPort.Find();
        var service = _device.ServiceInput($$"""
            {
              "command": ["sh", "-c", "echo \"seen $(busybox hostname) $(busybox id -u) $(pwd)\"; exec busybox httpd -f -p 80 -h /tmp"],
              "init": true, "ports": ["127.0.0.1:{{port}}:80"], "expose": ["9000/udp"],
              "environment": { "GREETING": "hello", "BALENA_APP_NAME": "overridden" },
              "labels": { "com.example.role": "web" },
              "hostname": "box", "domainname": "lan", "working_dir": "/tmp/", "user": "0",
              "cap_add": ["NET_ADMIN"], "cap_drop": ["MKNOD"], "devices": ["/dev/null:/dev/nothing:rw"],
              "dns": ["10.0.0.53"], "dns_search": ["lan"], "dns_opt": ["ndots:2"], "extra_hosts": ["db=10.0.0.2"],
              "tmpfs": ["/run"], "shm_size": "32m", "sysctls": { "net.ipv4.ip_forward": "1" },
              "ulimits": { "nofile": { "soft": 1024, "hard": 2048 } },
              "mem_limit": "256m", "mem_reservation": "64m", "cpu_shares": 512, "cpus": "0.5",
              "security_opt": ["no-new-privileges"], "oom_score_adj": 100, "pids_limit": 200,
              "healthcheck": { "test": ["CMD", "true"], "interval": "30s", "retries": 2 },
              "stop_signal": "SIGINT", "stop_grace_period": "3s", "restart": "unless-stopped",
              "logging": { "driver": "json-file", "options": { "max-size": "1m" } },
              "volumes": ["/scratch", { "type": "tmpfs", "target": "/fast" }]
            }
            """);

        await _device.RunAsync("create-network", new { appUuid = _device.AppUuid, appId = 1, name = "default" });
        var created = await _device.RunAsync("create-service", service);
        var id = ServiceWorkflowDevice.ContainerIdOf(created);
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "web", commit = _device.Commit });

        ContainerInspectResponse container = await _device.Images.Client.Containers.InspectContainerAsync(id);
        var config = container.Config!;
        HostConfig host = container.HostConfig!;
        Assert.Equal("box", config.Hostname);
        Assert.Equal("lan", config.Domainname);
        Assert.Equal("/tmp", config.WorkingDir);
        Assert.Equal("0", config.User);
        Assert.True(config.Tty);
        Assert.Equal("SIGINT", config.StopSignal);
        Assert.Equal(3, container.Config!.StopTimeout!.Value.TotalSeconds);
        Assert.Contains("GREETING=hello", config.Env);
        Assert.Contains("BALENA_APP_NAME=overridden", config.Env);
        Assert.Contains("BALENA=1", config.Env);
        Assert.Contains("BALENA_SERVICE_NAME=web", config.Env);
        Assert.Contains("RESIN_APP_ID=1", config.Env);
        Assert.Contains($"BALENA_APP_UUID={_device.AppUuid}", config.Env);
        Assert.Contains($"BALENA_DEVICE_ARCH={DeviceArchitecture.Current}", config.Env);
        Assert.Contains($"RESIN_DEVICE_TYPE=generic-{DeviceArchitecture.Current}", config.Env);
        Assert.Equal("web", config.Labels["com.example.role"]);
        Assert.Equal("true", config.Labels["io.balena.supervised"]);
        Assert.Equal("1", config.Labels["io.balena.app-id"]);
        Assert.Equal("7", config.Labels["io.balena.service-id"]);
        Assert.Equal("web", config.Labels["io.balena.service-name"]);
        Assert.Equal(_device.AppUuid, config.Labels["io.balena.app-uuid"]);
        Assert.True(config.Labels.ContainsKey(ServiceLabels.Config));
        Assert.Contains("9000/udp", config.ExposedPorts!.Keys);
        Assert.Contains("/scratch", config.Volumes.Keys);
        Assert.Equal(["CMD", "true"], config.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Healthcheck.Interval);
        Assert.Equal(2, config.Healthcheck.Retries);

        Assert.True(host.Init);
        Assert.Equal("shareable", host.IpcMode);
        Assert.Equal(32L << 20, host.ShmSize);
        Assert.Equal(RestartPolicyKind.UnlessStopped, host.RestartPolicy.Name);
        Assert.Equal([("127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture))], host.PortBindings["80/tcp"].Select(b => (b.HostIP, b.HostPort)));
        Assert.Contains("NET_ADMIN", host.CapAdd);
        Assert.Contains("MKNOD", host.CapDrop);
        Assert.Equal(("/dev/null", "/dev/nothing", "rw"), (host.Devices[0].PathOnHost, host.Devices[0].PathInContainer, host.Devices[0].CgroupPermissions));
        Assert.Equal(["10.0.0.53"], host.DNS);
        Assert.Equal(["lan"], host.DNSSearch);
        Assert.Equal(["ndots:2"], host.DNSOptions);
        Assert.Equal(["db:10.0.0.2"], host.ExtraHosts);
        Assert.True(host.Tmpfs!.ContainsKey("/run"));
        Assert.Equal("1", host.Sysctls!["net.ipv4.ip_forward"]);
        Assert.Equal(("nofile", 1024L, 2048L), (host.Ulimits[0].Name, host.Ulimits[0].Soft, host.Ulimits[0].Hard));
        Assert.Equal(256L << 20, host.Memory);
        Assert.Equal(64L << 20, host.MemoryReservation);
        Assert.Equal(512, host.CPUShares);
        Assert.Equal(500_000_000, host.NanoCPUs);
        Assert.Contains("no-new-privileges", host.SecurityOpt);
        Assert.Equal(100, host.OomScoreAdj);
        Assert.Equal(200, host.PidsLimit);
        Assert.Equal("json-file", host.LogConfig.Type);
        Assert.Equal("1m", host.LogConfig.Config["max-size"]);
        Assert.Contains(container.Mounts, m => m.Type == "tmpfs" && m.Destination == "/fast");
        Assert.Contains(host.Binds, b => b.EndsWith("/1/web:/tmp/balena", StringComparison.Ordinal));

        // What the service sees: its published port answers, and it runs where and as whom the release says.
        Assert.Equal($"{_device.AppUuid}_default", host.NetworkMode);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var answer = await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                    return (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return 0;
                }
            },
            status => status != 0,
            TimeSpan.FromSeconds(30),
            "the published port to answer");
        Assert.NotEqual(0, answer);
        var logs = await Eventually.GetAsync(() => _device.LogsAsync(id), text => text.Contains("seen", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the service's first line");
        Assert.Contains("seen box 0 /tmp", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_of_an_app_reach_each_other_by_name_on_its_default_network()
    {
        await _device.RunAsync("create-network", new { appUuid = _device.AppUuid, appId = 1, name = "default" });
        var web = await _device.RunAsync("create-service", _device.ServiceInput(
            """{ "init": true, "command": ["sh", "-c", "echo hello-from-web > /tmp/index.html; exec busybox httpd -f -p 80 -h /tmp"] }"""));
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "web", commit = _device.Commit });
        var probe = await _device.RunAsync("create-service", _device.ServiceInput(
            """{ "init": true, "command": ["sh", "-c", "until busybox wget -q -O- http://web/; do sleep 1; done; sleep 600"] }""",
            service: "probe", imageId: 71));
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "probe", commit = _device.Commit });

        var probeId = ServiceWorkflowDevice.ContainerIdOf(probe);
        var logs = await Eventually.GetAsync(() => _device.LogsAsync(probeId), text => text.Contains("hello-from-web", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the probe to reach web by name");
        Assert.Contains("hello-from-web", logs, StringComparison.Ordinal);
        var network = await _device.Images.Client.Networks.InspectNetworkAsync($"{_device.AppUuid}_default");
        Assert.Equal("true", network.Labels["io.balena.supervised"]);
        Assert.Equal("1", network.Labels["io.balena.app-id"]);
        Assert.Equal(2, network.Containers.Count);
        Assert.NotEqual(ServiceWorkflowDevice.ContainerIdOf(web), probeId);

        await _device.RunAsync("remove-service", new { appUuid = _device.AppUuid, serviceName = "probe", gracePeriod = "00:00:01" });
    }

    [Fact]
    public async Task A_service_that_asks_for_nothing_gets_balenas_defaults_and_no_init_process()
    {
        var created = await _device.RunAsync("create-service", _device.ServiceInput("""{ "command": ["sleep", "600"] }"""));
        var id = ServiceWorkflowDevice.ContainerIdOf(created);

        ContainerInspectResponse container = await _device.Images.Client.Containers.InspectContainerAsync(id);
        Assert.True(container.Config!.Tty);
        Assert.NotEqual(true, container.HostConfig!.Init);
        Assert.Equal("shareable", container.HostConfig.IpcMode);
        Assert.Equal(64L << 20, container.HostConfig.ShmSize);
        Assert.Equal(RestartPolicyKind.Always, container.HostConfig.RestartPolicy.Name);
        Assert.Equal(10, container.Config.StopTimeout!.Value.TotalSeconds);
    }

    [Fact]
    public async Task An_operators_config_with_an_unknown_restart_policy_fails_Invalid_and_creates_nothing()
    {
        using var response = await _device.Client.PostAsJsonAsync("/v3/workflows/create-service/runs?wait=60", new
        {
            appUuid = _device.AppUuid, serviceName = "web", commit = _device.Commit, image = _device.Image,
            config = new { command = SleepCommand, restart = "sometimes" },
        });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("Failed", "Invalid"), (run.GetProperty("status").GetString(), run.GetProperty("reason").GetString()));
        Assert.Contains("restart \"sometimes\"", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        var containers = await _device.Images.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={_device.AppUuid}"] = true } },
        });
        Assert.Empty(containers);
    }
}
