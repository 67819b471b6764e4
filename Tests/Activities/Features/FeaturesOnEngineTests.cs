using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Features;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Features;

/// <summary>
/// Feature labels on the real engine: a service created by the shipped <c>create-service</c> workflow gets what each
/// label names (balena's binds, variables and the supervisor network), and its API key is its own and stays.
/// </summary>
public sealed class FeaturesOnEngineTests : IAsyncLifetime
{
    private ServiceWorkflowDevice _device = null!;

    public async Task InitializeAsync() => _device = await ServiceWorkflowDevice.StartAsync("features");

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task Each_feature_label_gives_the_container_what_balena_gives()
    {
        await _device.RunAsync("create-network", new { appUuid = _device.AppUuid, appId = 1, name = "default" });
        var labels = new Dictionary<string, string>
        {
            [ServiceFeatures.SupervisorApi] = "1",
            [ServiceFeatures.BalenaSocket] = "true",
            [ServiceFeatures.Sysfs] = "1",
            [ServiceFeatures.Dbus] = "1",
            [ServiceFeatures.JournalLogs] = "1",
            [ServiceFeatures.Procfs] = "0",
        };
        var id = await CreateAsync("web", labels, """{ "command": ["sleep", "600"], "init": true }""");
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "web", commit = _device.Commit });

        ContainerInspectResponse container = await _device.Images.Client.Containers.InspectContainerAsync(id);
        var env = container.Config!.Env.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var key = await _device.Host.Services.GetRequiredService<ServiceApiKeyStore>().GetOrCreateAsync(_device.AppUuid, 1, "web");
        Assert.Equal(key, env["BALENA_SUPERVISOR_API_KEY"]);
        Assert.Equal(key, env["RESIN_SUPERVISOR_API_KEY"]);
        Assert.Equal(SupervisorNetwork.Gateway, env["BALENA_SUPERVISOR_HOST"]);
        Assert.Equal("48484", env["BALENA_SUPERVISOR_PORT"]);
        Assert.Equal($"http://{SupervisorNetwork.Gateway}:48484", env["BALENA_SUPERVISOR_ADDRESS"]);
        Assert.Equal("unix:///host/run/balena-engine.sock", env["DOCKER_HOST"]);
        Assert.Equal(new HostOsRelease().PrettyName, env.GetValueOrDefault("BALENA_HOST_OS_VERSION"));
        Assert.Contains(SupervisorNetwork.Name, container.NetworkSettings!.Networks.Keys);
        Assert.Contains($"{_device.AppUuid}_default", container.NetworkSettings.Networks.Keys);

        var socket = new Uri(_device.Images.Environment.DockerHost).LocalPath;
        var binds = container.HostConfig!.Binds;
        Assert.Contains($"{socket}:/host/run/balena-engine.sock", binds);
        Assert.Contains($"{socket}:/var/run/balena.sock", binds);
        Assert.Contains("/sys:/sys", binds);
        Assert.Contains("/run/dbus:/host/run/dbus", binds);
        Assert.DoesNotContain("/proc:/proc", binds);
        Assert.All(["/var/log/journal", "/run/log/journal", "/etc/machine-id"], path =>
            Assert.Equal(Path.Exists(path), binds.Contains($"{path}:{path}:ro")));

        // balena's own addresses, so that a device moved from balena finds the network it has.
        var network = await _device.Images.Client.Networks.InspectNetworkAsync(SupervisorNetwork.Name);
        Assert.Equal(SupervisorNetwork.Subnet, network.IPAM.Config[0].Subnet);
    }

    [Fact]
    public async Task Each_service_has_its_own_key_and_a_host_networked_one_reaches_the_api_on_loopback()
    {
        var labels = new Dictionary<string, string> { [ServiceFeatures.SupervisorApi] = "1" };
        var first = await CreateAsync("web", labels, """{ "command": ["sleep", "600"], "network_mode": "host" }""");
        var second = await CreateAsync("worker", labels, """{ "command": ["sleep", "600"], "network_mode": "host" }""");

        var web = await EnvironmentOfAsync(first);
        var worker = await EnvironmentOfAsync(second);
        Assert.NotEqual(web["BALENA_SUPERVISOR_API_KEY"], worker["BALENA_SUPERVISOR_API_KEY"]);
        Assert.Equal("http://127.0.0.1:48484", web["BALENA_SUPERVISOR_ADDRESS"]);
        var container = await _device.Images.Client.Containers.InspectContainerAsync(first);
        Assert.Equal(["host"], container.NetworkSettings!.Networks.Keys);

        // Created again after a crash, the container is reused and the key is the same.
        var again = await _device.RunAsync("create-service", _device.ServiceInput("""{ "command": ["sleep", "600"], "network_mode": "host" }""", "web", labels));
        Assert.False(ServiceWorkflowDevice.StepOutput(again).GetProperty("created").GetBoolean());
        Assert.Equal(web["BALENA_SUPERVISOR_API_KEY"], await _device.Host.Services.GetRequiredService<ServiceApiKeyStore>().GetOrCreateAsync(_device.AppUuid, 1, "web"));
    }

    private async Task<Dictionary<string, string>> EnvironmentOfAsync(string id) =>
        (await _device.Images.Client.Containers.InspectContainerAsync(id)).Config!.Env.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private async Task<string> CreateAsync(string service, Dictionary<string, string> labels, string composition) =>
        ServiceWorkflowDevice.ContainerIdOf(await _device.RunAsync("create-service", _device.ServiceInput(composition, service, labels)));
}
