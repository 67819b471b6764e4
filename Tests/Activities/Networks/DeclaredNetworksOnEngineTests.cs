using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Networks;

/// <summary>
/// A release's declared networks on the real engine: created by the shipped <c>create-network</c> workflow with the
/// options the planner gives it, and joined by a service under its name and aliases, at the address it asks for.
/// </summary>
public sealed class DeclaredNetworksOnEngineTests : IAsyncLifetime
{
    private ServiceWorkflowDevice _device = null!;

    public async Task InitializeAsync() => _device = await ServiceWorkflowDevice.StartAsync("declarednets");

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task A_service_joins_its_declared_networks_with_its_aliases_and_address()
    {
        // A range of its own, away from the engine's pools and balena's supervisor0.
        var octet = Random.Shared.Next(100, 250).ToString(CultureInfo.InvariantCulture);
        var networks = $$"""
            { "front": { "internal": true, "labels": { "com.example.tier": "front" },
                         "ipam": { "config": [{ "subnet": "10.{{octet}}.7.0/24", "gateway": "10.{{octet}}.7.1" }] } },
              "back": null }
            """;
        var web = _device.ServiceInput(
            $$"""
            { "init": true, "networks": { "back": null, "front": { "aliases": ["api"], "ipv4_address": "10.{{octet}}.7.50" } },
              "command": ["sh", "-c", "echo hello-from-api > /tmp/index.html; exec busybox httpd -f -p 80 -h /tmp"] }
            """,
            releaseNetworks: networks);
        var probe = _device.ServiceInput(
            """{ "init": true, "networks": ["front"], "command": ["sh", "-c", "until busybox wget -q -O- http://api/; do sleep 1; done; sleep 600"] }""",
            service: "probe", imageId: 71, releaseNetworks: networks);

        var target = TargetStateParser.Parse($$"""
            { "device": { "name": "d", "apps": { "{{_device.AppUuid}}": { "id": 1, "name": "shop", "releases": { "{{_device.Commit}}": {
              "id": 3, "services": {}, "networks": {{networks}} } } } } } }
            """).State!;
        var app = target.Apps[_device.AppUuid];
        foreach (var (name, config) in app.Release!.Networks)
        {
            await _device.RunAsync("create-network", ReconcileSteps.CreateNetwork(app.Uuid, app.LegacyId, name, config).Input);
        }

        var webId = ServiceWorkflowDevice.ContainerIdOf(await _device.RunAsync("create-service", web));
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "web", commit = _device.Commit });
        var probeId = ServiceWorkflowDevice.ContainerIdOf(await _device.RunAsync("create-service", probe));
        await _device.RunAsync("start-service", new { appUuid = _device.AppUuid, serviceName = "probe", commit = _device.Commit });

        var front = await _device.Images.Client.Networks.InspectNetworkAsync($"{_device.AppUuid}_front");
        Assert.True(front.Internal);
        Assert.Equal($"10.{octet}.7.0/24", front.IPAM.Config[0].Subnet);
        Assert.Equal("front", front.Labels["com.example.tier"]);
        Assert.Equal("1", front.Labels[ServiceLabels.BalenaAppId]);
        Assert.True(front.Labels.ContainsKey(ServiceLabels.Config));
        var back = await _device.Images.Client.Networks.InspectNetworkAsync($"{_device.AppUuid}_back");
        Assert.False(back.Labels.ContainsKey(ServiceLabels.Config));

        var container = await _device.Images.Client.Containers.InspectContainerAsync(webId);
        Assert.Equal($"{_device.AppUuid}_back", container.HostConfig!.NetworkMode);
        Assert.Equal([$"{_device.AppUuid}_back", $"{_device.AppUuid}_front"], container.NetworkSettings!.Networks.Keys.Order(StringComparer.Ordinal));
        var onFront = container.NetworkSettings.Networks[$"{_device.AppUuid}_front"];
        Assert.Equal($"10.{octet}.7.50", onFront.IPAddress);
        Assert.Contains("api", onFront.Aliases);
        Assert.Contains("web", onFront.Aliases);
        Assert.Contains("web", container.NetworkSettings.Networks[$"{_device.AppUuid}_back"].Aliases);

        // What the services see: the probe, on front only, reaches web by its alias there.
        var logs = await Eventually.GetAsync(() => _device.LogsAsync(probeId), text => text.Contains("hello-from-api", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the probe to reach web as api");
        Assert.Contains("hello-from-api", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_whose_range_another_holds_fails_Invalid_with_the_engines_reason()
    {
        var subnet = $"10.{Random.Shared.Next(100, 250).ToString(CultureInfo.InvariantCulture)}.8.0/24";
        await _device.RunAsync("create-network", new { appUuid = _device.AppUuid, name = "first", config = new { ipam = new { config = new[] { new { subnet } } } } });

        using var response = await _device.Client.PostAsJsonAsync("/v3/workflows/create-network/runs?wait=60", new
        {
            appUuid = _device.AppUuid,
            name = "second",
            config = new { ipam = new { config = new[] { new { subnet } } } },
        });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(("Failed", "Invalid") == (run.GetProperty("status").GetString(), run.GetProperty("reason").GetString()), run.ToString());
        Assert.Contains($"Cannot create network {_device.AppUuid}_second as the release declares it", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        var networks = await _device.Images.Client.Networks.ListNetworksAsync();
        Assert.DoesNotContain(networks, n => n.Name == $"{_device.AppUuid}_second");
    }
}
