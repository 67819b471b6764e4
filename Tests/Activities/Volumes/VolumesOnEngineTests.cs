using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Volumes;

/// <summary>
/// A release's named volumes on the real engine: made by the shipped <c>create-volume</c> workflow as balena names and
/// labels them, with their declared driver options, mounted by the service, and removed only once no container uses
/// them; a volume an earlier Supervisor made under the app's uuid keeps serving.
/// </summary>
public sealed class VolumesOnEngineTests : IAsyncLifetime
{
    private const string Volumes = """{ "data": { "driver_opts": { "type": "tmpfs", "device": "tmpfs", "o": "size=2m" }, "labels": { "tier": "hot" } }, "old": {} }""";

    private ServiceWorkflowDevice _device = null!;

    public async Task InitializeAsync() => _device = await ServiceWorkflowDevice.StartAsync("volumes");

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task A_declared_volume_is_made_as_balena_names_it_mounted_and_removed_once_unused()
    {
        await CreateVolumesAsync("data");
        var created = await _device.RunAsync("create-service", _device.ServiceInput("""{ "command": ["sleep", "600"], "init": true, "volumes": ["data:/data"] }""", releaseVolumes: Volumes));

        var volume = await _device.Images.Client.Volumes.InspectAsync("1_data");
        Assert.Equal("local", volume.Driver);
        Assert.Equal("size=2m", volume.Options["o"]);
        Assert.Equal("hot", volume.Labels["tier"]);
        Assert.Equal("true", volume.Labels["io.balena.supervised"]);
        Assert.Equal(_device.AppUuid, volume.Labels[ServiceLabels.BalenaAppUuid]);
        Assert.True(volume.Labels.ContainsKey(ServiceLabels.Config));
        var container = await _device.Images.Client.Containers.InspectContainerAsync(ServiceWorkflowDevice.ContainerIdOf(created));
        Assert.Contains(container.Mounts, m => m.Name == "1_data" && m.Destination == "/data");

        var inUse = await RunEndingAsync("remove-volume", new { appUuid = _device.AppUuid, appId = 1, name = "data" });
        Assert.Equal(("Failed", "Conflict"), (inUse.GetProperty("status").GetString(), inUse.GetProperty("reason").GetString()));
        await _device.RunAsync("remove-service", new { appUuid = _device.AppUuid, serviceName = "web", gracePeriod = "00:00:01" });
        await _device.RunAsync("remove-volume", new { appUuid = _device.AppUuid, appId = 1, name = "data" });
        Assert.DoesNotContain((await _device.Images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes, v => v.Name == "1_data");
    }

    [Fact]
    public async Task A_volume_an_earlier_supervisor_made_under_the_apps_uuid_keeps_serving_with_its_data()
    {
        var legacy = $"{_device.AppUuid}_old";
        await _device.Images.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = legacy });
        try
        {
            var kept = await CreateVolumesAsync("old");
            var created = await _device.RunAsync("create-service", _device.ServiceInput("""{ "command": ["sleep", "600"], "volumes": ["old:/old"] }""", releaseVolumes: Volumes));

            Assert.Equal((legacy, false), (ServiceWorkflowDevice.StepOutput(kept[0]).GetProperty("name").GetString(), ServiceWorkflowDevice.StepOutput(kept[0]).GetProperty("created").GetBoolean()));
            var container = await _device.Images.Client.Containers.InspectContainerAsync(ServiceWorkflowDevice.ContainerIdOf(created));
            Assert.Contains(container.Mounts, m => m.Name == legacy && m.Destination == "/old");
            Assert.DoesNotContain((await _device.Images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes, v => v.Name == "1_old");
        }
        finally
        {
            await _device.RunAsync("remove-service", new { appUuid = _device.AppUuid, serviceName = "web", gracePeriod = "00:00:01" });
        }
    }

    /// <summary>Runs the planner's create-volume steps for the release's volumes named.</summary>
    private async Task<List<JsonElement>> CreateVolumesAsync(params string[] names)
    {
        var target = TargetStateParser.Parse($$"""
            { "device": { "name": "d", "apps": { "{{_device.AppUuid}}": { "id": 1, "name": "shop", "releases": { "{{_device.Commit}}": {
              "id": 3, "services": {}, "volumes": {{Volumes}} } } } } } }
            """).State!;
        var app = target.Apps[_device.AppUuid];
        List<JsonElement> runs = [];
        foreach (var name in names)
        {
            runs.Add(await _device.RunAsync("create-volume", ReconcileSteps.CreateVolume(app.Uuid, app.LegacyId, name, app.Release!.Volumes[name]).Input));
        }

        return runs;
    }

    private async Task<JsonElement> RunEndingAsync(string workflow, object input)
    {
        using var response = await _device.Client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=60", input);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
