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

    private readonly TestImageFactory _images = new("compose");
    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-locks-" + Guid.NewGuid().ToString("N"));
    private readonly string _appUuid = "app" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _commit = Guid.NewGuid().ToString("N");
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped("create-service", "start-service", "remove-service", "create-network", "remove-network"));
        _client = _host.CreateAuthorizedClient();
        var repository = _images.Repository("web");
        await _images.ImportAsync(repository, "v1", withBusybox: true);
        _image = $"{repository}:v1";
    }

    public async Task DisposeAsync()
    {
        await RunAsync("remove-service", new { appUuid = _appUuid, serviceName = "web", gracePeriod = "00:00:01" });
        await RunAsync("remove-network", new { appUuid = _appUuid, name = "default" });
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        if (Directory.Exists(_lockRoot))
        {
            Directory.Delete(_lockRoot, recursive: true);
        }
    }

    [Fact]
    public async Task Every_field_of_the_composition_reaches_the_container()
    {
        int port = FreeLoopbackPort.Find();
        var service = ParseService($$"""
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

        await RunAsync("create-network", new { appUuid = _appUuid, appId = 1, name = "default" });
        var created = await RunAsync("create-service", service);
        var id = StepOutput(created).GetProperty("containerId").GetString()!;
        await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "web", commit = _commit });

        ContainerInspectResponse container = await _images.Client.Containers.InspectContainerAsync(id);
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
        Assert.Contains($"BALENA_APP_UUID={_appUuid}", config.Env);
        Assert.Contains($"BALENA_DEVICE_ARCH={DeviceArchitecture.Current}", config.Env);
        Assert.Contains($"RESIN_DEVICE_TYPE=generic-{DeviceArchitecture.Current}", config.Env);
        Assert.Equal("web", config.Labels["com.example.role"]);
        Assert.Equal("true", config.Labels["io.balena.supervised"]);
        Assert.Equal("1", config.Labels["io.balena.app-id"]);
        Assert.Equal("7", config.Labels["io.balena.service-id"]);
        Assert.Equal("web", config.Labels["io.balena.service-name"]);
        Assert.Equal(_appUuid, config.Labels["io.balena.app-uuid"]);
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
        Assert.Equal($"{_appUuid}_default", host.NetworkMode);
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
        var logs = await Eventually.GetAsync(() => LogsAsync(id), text => text.Contains("seen", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the service's first line");
        Assert.Contains("seen box 0 /tmp", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_of_an_app_reach_each_other_by_name_on_its_default_network()
    {
        await RunAsync("create-network", new { appUuid = _appUuid, appId = 1, name = "default" });
        var web = await RunAsync("create-service", ParseService(
            """{ "init": true, "command": ["sh", "-c", "echo hello-from-web > /tmp/index.html; exec busybox httpd -f -p 80 -h /tmp"] }"""));
        await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "web", commit = _commit });
        var probe = await RunAsync("create-service", ParseService(
            """{ "init": true, "command": ["sh", "-c", "until busybox wget -q -O- http://web/; do sleep 1; done; sleep 600"] }""",
            service: "probe"));
        await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "probe", commit = _commit });

        var probeId = StepOutput(probe).GetProperty("containerId").GetString()!;
        var logs = await Eventually.GetAsync(() => LogsAsync(probeId), text => text.Contains("hello-from-web", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the probe to reach web by name");
        Assert.Contains("hello-from-web", logs, StringComparison.Ordinal);
        var network = await _images.Client.Networks.InspectNetworkAsync($"{_appUuid}_default");
        Assert.Equal("true", network.Labels["io.balena.supervised"]);
        Assert.Equal("1", network.Labels["io.balena.app-id"]);
        Assert.Equal(2, network.Containers.Count);
        Assert.NotEqual(StepOutput(web).GetProperty("containerId").GetString(), probeId);

        await RunAsync("remove-service", new { appUuid = _appUuid, serviceName = "probe", gracePeriod = "00:00:01" });
    }

    [Fact]
    public async Task A_service_that_asks_for_nothing_gets_balenas_defaults_and_no_init_process()
    {
        var created = await RunAsync("create-service", ParseService("""{ "command": ["sleep", "600"] }"""));
        var id = StepOutput(created).GetProperty("containerId").GetString()!;

        ContainerInspectResponse container = await _images.Client.Containers.InspectContainerAsync(id);
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
        using var response = await _client.PostAsJsonAsync("/v3/workflows/create-service/runs?wait=60", new
        {
            appUuid = _appUuid, serviceName = "web", commit = _commit, image = _image,
            config = new { command = SleepCommand, restart = "sometimes" },
        });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("Failed", "Invalid"), (run.GetProperty("status").GetString(), run.GetProperty("reason").GetString()));
        Assert.Contains("restart \"sometimes\"", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        var containers = await _images.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={_appUuid}"] = true } },
        });
        Assert.Empty(containers);
    }

    private JsonElement ParseService(string composition, string service = "web")
    {
        var composed = JsonSerializer.Serialize(JsonDocument.Parse(composition).RootElement);
        var json = $$"""
            { "device": { "name": "d", "apps": { "{{_appUuid}}": { "id": 1, "name": "shop", "releases": { "{{_commit}}": {
              "id": 3, "services": { "{{service}}": { "id": 7, "image_id": {{(service == "web" ? 70 : 71)}}, "image": "{{_image}}",
                "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" }, "composition": {{composed}} } } } } } } } }
            """;
        var result = TargetStateParser.Parse(json);
        Assert.True(result.IsValid, result.ToString());
        var app = result.State!.Apps[_appUuid];
        return ReconcileSteps.CreateService(app, app.Release!, app.Release!.Services[service]).Input;
    }

    private async Task<string> LogsAsync(string id)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await _images.Client.Containers.GetContainerLogsAsync(
            id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, new SynchronousProgress<string>(lines.Enqueue), CancellationToken.None);
        return string.Join("\n", lines);
    }

    private async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await _client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=60", input);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"{workflow} ended {run.GetProperty("status")}: {run.GetProperty("message")}");
        return run;
    }

    private static JsonElement StepOutput(JsonElement run) => run.GetProperty("steps")[0].GetProperty("output");
}
