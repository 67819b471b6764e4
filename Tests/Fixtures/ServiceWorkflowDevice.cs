using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Activities.Networks;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// The real host on the test server with the shipped service and network workflows, a lock root and a busybox image
/// of its own, for tests that create one app's services as the reconciler does (<see cref="ServiceInput"/> reads the
/// service from a target and plans its <c>create-service</c> input). What the tests created is removed on dispose.
/// </summary>
public sealed class ServiceWorkflowDevice : IAsyncDisposable
{
    private readonly ConcurrentBag<string> _services = [];
    private readonly ConcurrentBag<string> _networks = [AppNetworks.DefaultName];
    private readonly ConcurrentBag<string> _volumes = [];

    private ServiceWorkflowDevice(TestImageFactory images, SupervisorHostFactory host, string lockRoot, string image)
    {
        Images = images;
        Host = host;
        LockRoot = lockRoot;
        Image = image;
        Client = host.CreateAuthorizedClient();
    }

    public TestImageFactory Images { get; }

    public SupervisorHostFactory Host { get; }

    public HttpClient Client { get; }

    public string LockRoot { get; }

    /// <summary>The busybox image every service runs.</summary>
    public string Image { get; }

    public string AppUuid { get; } = "app" + Guid.NewGuid().ToString("N")[..12];

    public string Commit { get; } = Guid.NewGuid().ToString("N");

    public static async Task<ServiceWorkflowDevice> StartAsync(string testName)
    {
        var images = new TestImageFactory(testName);
        var lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-locks-" + Guid.NewGuid().ToString("N"));
        var host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LockRoot"] = lockRoot },
            SupervisorHostFactory.Shipped("create-service", "start-service", "remove-service", "create-network", "remove-network", "create-volume", "remove-volume"));
        var repository = images.Repository("svc");
        await images.ImportAsync(repository, "v1", withBusybox: true);
        return new ServiceWorkflowDevice(images, host, lockRoot, $"{repository}:v1");
    }

    /// <summary>
    /// The <c>create-service</c> input the planner gives for <paramref name="service"/> of app 1 (<c>shop</c>),
    /// release 3, declared with these labels (the test owner's added) and composition, in a release with these
    /// networks and volumes.
    /// </summary>
    public JsonElement ServiceInput(
        string composition, string service = "web", IReadOnlyDictionary<string, string>? labels = null, int imageId = 70,
        string releaseNetworks = "{}", string releaseVolumes = "{}")
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [TestLabels.Owner] = Images.Prefix };
        var composed = JsonSerializer.Serialize(JsonDocument.Parse(composition).RootElement);
        var json = $$"""
            { "device": { "name": "d", "apps": { "{{AppUuid}}": { "id": 1, "name": "shop", "releases": { "{{Commit}}": {
              "id": 3, "services": { "{{service}}": { "id": 7, "image_id": {{imageId}}, "image": "{{Image}}",
                "labels": {{JsonSerializer.Serialize(all)}}, "composition": {{composed}} } }, "networks": {{releaseNetworks}}, "volumes": {{releaseVolumes}} } } } } } }
            """;
        var result = TargetStateParser.Parse(json);
        Assert.True(result.IsValid, result.ToString());
        var app = result.State!.Apps[AppUuid];
        return ReconcileSteps.CreateService(app, app.Release!, app.Release!.Services[service]).Input;
    }

    /// <summary>Runs a workflow to its end and asserts that it completed.</summary>
    public async Task<JsonElement> RunAsync(string workflow, object input)
    {
        if (workflow == "create-service")
        {
            _services.Add(JsonSerializer.SerializeToElement(input).GetProperty("serviceName").GetString()!);
        }
        else if (workflow == "create-network")
        {
            _networks.Add(JsonSerializer.SerializeToElement(input).GetProperty("name").GetString()!);
        }
        else if (workflow == "create-volume")
        {
            _volumes.Add(JsonSerializer.SerializeToElement(input).GetProperty("name").GetString()!);
        }

        using var response = await Client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=60", input);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"{workflow} ended {run.GetProperty("status")}: {run.GetProperty("message")}");
        return run;
    }

    /// <summary>The container a <c>create-service</c> run created or reused.</summary>
    public static string ContainerIdOf(JsonElement run) => StepOutput(run).GetProperty("containerId").GetString()!;

    public static JsonElement StepOutput(JsonElement run) => run.GetProperty("steps")[0].GetProperty("output");

    public async Task<string> LogsAsync(string containerId)
    {
        var lines = new ConcurrentQueue<string>();
        await Images.Client.Containers.GetContainerLogsAsync(
            containerId, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, new SynchronousProgress<string>(lines.Enqueue), CancellationToken.None);
        return string.Join("\n", lines);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services.Distinct())
        {
            await RunAsync("remove-service", new { appUuid = AppUuid, serviceName = service, gracePeriod = "00:00:01" });
        }

        foreach (var volume in _volumes.Distinct())
        {
            await RunAsync("remove-volume", new { appUuid = AppUuid, appId = 1, name = volume });
        }

        foreach (var network in _networks.Distinct())
        {
            await RunAsync("remove-network", new { appUuid = AppUuid, name = network });
        }
        Client.Dispose();
        await Host.DisposeAsync();
        await Images.DisposeAsync();
        if (Directory.Exists(LockRoot))
        {
            Directory.Delete(LockRoot, recursive: true);
        }
    }
}
