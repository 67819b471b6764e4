using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// A device for the action endpoint tests: the real host in local mode with the shipped action
/// definitions, a lock root and images of its own, and an accepted target with one app (numeric id
/// <see cref="AppId"/>) whose services run a busybox <c>sleep</c>. Each service named in
/// <c>running</c> gets its container created and started through the shipped workflows, as the
/// reconciler would; a second app <see cref="OtherAppId"/> with two services is in the target, and
/// never created, for the single-service checks.
/// </summary>
public sealed class ActionDevice : IAsyncDisposable
{
    private static readonly string[] ShippedIds =
        ["create-service", "start-service", "stop-service", "remove-service", "restart-service", "restart-app", "stop-app", "start-app", "purge-app"];

    /// <summary>The image every service of the targets runs.</summary>
    private string _image = string.Empty;

    /// <summary>The stop grace period of services that ignore SIGTERM, or null for services that stop at once.</summary>
    private TimeSpan? _slowStop;

    /// <summary>Each service's <c>network_mode</c> other than <c>none</c>, such as <c>service:vpn</c>.</summary>
    private IReadOnlyDictionary<string, string> _networkModes = new Dictionary<string, string>();

    private ActionDevice(TestImageFactory images, SupervisorHostFactory host, string lockRoot, string appUuid, long appId)
    {
        Images = images;
        Host = host;
        LockRoot = lockRoot;
        AppUuid = appUuid;
        AppId = appId;
        Client = host.CreateAuthorizedClient();
        Client.Timeout = TimeSpan.FromMinutes(5);
    }

    public TestImageFactory Images { get; }

    public SupervisorHostFactory Host { get; }

    public HttpClient Client { get; }

    public string LockRoot { get; }

    public string AppUuid { get; }

    public long AppId { get; }

    public long OtherAppId => AppId + 1;

    /// <param name="services">The app's services in the target.</param>
    /// <param name="running">The services whose containers are created and started.</param>
    /// <param name="workflows">An operator's definitions, by id, beside the shipped ones.</param>
    /// <param name="slowStop">When given, the services ignore SIGTERM and have this stop grace period, so that every stop takes it whole.</param>
    /// <param name="networkModes">The <c>network_mode</c> of services that do not have <c>none</c>, by service name.</param>
    public static async Task<ActionDevice> StartAsync(
        string testName, string[] services, string[] running, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string>? workflows = null, TimeSpan? slowStop = null, IReadOnlyDictionary<string, string>? networkModes = null)
    {
        var images = new TestImageFactory(testName);
        var lockRoot = Directory.CreateTempSubdirectory("supervisor-action-locks-").FullName;
        // The device is set up by hand (which services run is the test's choice), and the tests
        // watch the reconcile trigger themselves: the reconcile loop stays off.
        var all = new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = lockRoot, ["Supervisor:Reconciler:Enabled"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var definitions = SupervisorHostFactory.Shipped(ShippedIds);
        foreach (var (id, json) in workflows ?? new Dictionary<string, string>())
        {
            definitions[id] = json;
        }

        var host = new SupervisorHostFactory(all, definitions);
        var device = new ActionDevice(images, host, lockRoot, "app" + Guid.NewGuid().ToString("N")[..20], Random.Shared.NextInt64(100_000, 900_000_000));
        var repository = images.Repository("svc");
        await images.ImportAsync(repository, "v1", withBusybox: true);
        device._image = $"{repository}:v1";
        device._slowStop = slowStop;
        device._networkModes = networkModes ?? new Dictionary<string, string>();
        await device.PostTargetAsync(services);

        foreach (var service in running)
        {
            await device.CreateAndStartAsync(service);
        }

        return device;
    }

    /// <summary>
    /// Posts a target with a new release of the app with these services (or, without the app, only
    /// the other app); nothing is applied, since the reconcile loop is off.
    /// </summary>
    public async Task PostTargetAsync(string[] services, bool withApp = true)
    {
        using var posted = await Client.PostAsync(
            new Uri("/v2/local/target-state", UriKind.Relative),
            new StringContent(Target(_image, services, withApp), Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
    }

    /// <summary>Creates and starts a service's container with the reconciler's own inputs.</summary>
    public async Task<string> CreateAndStartAsync(string service)
    {
        var stored = await Host.Services.GetRequiredService<TargetStateStore>().GetAsync();
        var app = stored!.State.Apps[AppUuid];
        var created = await RunAsync("create-service", ReconcileSteps.CreateService(app, app.Release!, app.Release!.Services[service]).Input);
        AssertCompleted(created);
        AssertCompleted(await RunAsync("start-service", new { appUuid = AppUuid, serviceName = service }));
        return created.GetProperty("steps")[0].GetProperty("output").GetProperty("containerId").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await Client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=120", input);

        // A run its input was refused by answers 400 with the run's view, as every other run answers 200.
        if (response.StatusCode != System.Net.HttpStatusCode.BadRequest)
        {
            response.EnsureSuccessStatusCode();
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static void AssertCompleted(JsonElement run) =>
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"the run ended {run.GetProperty("status")}: {run.GetProperty("message")}");

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        Client.PostAsync(new Uri(path, UriKind.Relative), JsonContent.Create(body ?? new { }));

    public string LockFile(string service, string name = "updates.lock") =>
        Path.Combine(LockRoot, AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), service, name);

    public void UserLock(string service)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile(service))!);
        File.WriteAllText(LockFile(service), string.Empty);
    }

    /// <summary>The service's containers as the engine has them: id, running, and when it last started.</summary>
    public async Task<IReadOnlyList<(string Id, bool Running, DateTime StartedAt)>> ContainersAsync(string service)
    {
        var listed = await Images.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"io.supervisor.app-uuid={AppUuid}"] = true, [$"io.supervisor.service-name={service}"] = true },
            },
        });
        var result = new List<(string, bool, DateTime)>();
        foreach (var container in listed)
        {
            var inspected = await Images.Client.Containers.InspectContainerAsync(container.ID);
            result.Add((inspected.ID, inspected.State!.Running, DateTime.Parse(inspected.State.StartedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)));
        }

        return result;
    }

    public async Task<(string Id, bool Running, DateTime StartedAt)> ContainerAsync(string service) => Assert.Single(await ContainersAsync(service));

    /// <summary>The newest run of a workflow, with its steps.</summary>
    public async Task<JsonElement> LatestRunAsync(string workflow)
    {
        var runs = await Client.GetFromJsonAsync<JsonElement>($"/v3/runs?workflow={workflow}&pageSize=1");
        var id = runs.GetProperty("runs")[0].GetProperty("id").GetString();
        return await Client.GetFromJsonAsync<JsonElement>($"/v3/runs/{id}");
    }

    private string Target(string image, string[] services, bool withApp)
    {
        var owner = $"\"{TestLabels.Owner}\": \"{Images.Prefix}\"";
        var stop = _slowStop is { } grace
            ? $$"""["sh", "-c", "trap '' TERM; sleep 600"], "stop_grace_period": "{{(int)grace.TotalSeconds}}s" """
            : """["sleep", "600"]""";
        string Service(string name, int index) => $$"""
            "{{name}}": { "id": {{index + 1}}, "image_id": {{1000 + index}}, "image": "{{image}}", "labels": { {{owner}} },
              "composition": { "command": {{stop}}, "init": true, "network_mode": "{{_networkModes.GetValueOrDefault(name, "none")}}", "restart": "no", "volumes": ["data:/data"] } }
            """;
        var appServices = string.Join(",", services.Select(Service));
        var app = withApp ? $$"""
            "{{AppUuid}}": { "id": {{AppId}}, "name": "app", "releases": { "{{Guid.NewGuid():N}}": {
                "id": 1, "services": { {{appServices}} }, "volumes": { "data": {} }, "networks": {} } } },
            """ : string.Empty;
        return $$"""
            { "dev{{Guid.NewGuid():N}}": { "name": "action-device", "config": {}, "apps": {
                {{app}}
                "other{{Guid.NewGuid().ToString("N")[..20]}}": { "id": {{OtherAppId}}, "name": "other", "releases": { "{{Guid.NewGuid():N}}": {
                    "id": 2, "services": { {{Service("one", 0)}}, {{Service("two", 1)}} }, "volumes": { "data": {} }, "networks": {} } } }
            } } }
            """;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Images.RemoveContainersAsync(TestLabels.Owner, Images.Prefix);
        foreach (var volume in (await Images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes ?? [])
        {
            if (volume.Name.StartsWith(AppUuid, StringComparison.Ordinal))
            {
                await Images.Client.Volumes.RemoveAsync(volume.Name, force: true);
            }
        }

        await Images.DisposeAsync();
        Directory.Delete(LockRoot, recursive: true);
    }
}
