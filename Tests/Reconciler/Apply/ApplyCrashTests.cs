using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>
/// The real program killed with SIGKILL twice in the middle of an apply (during a download, then
/// during a service start), then started again: it converges to the target with exactly one
/// container and one image row per service.
/// </summary>
public sealed class ApplyCrashTests : IAsyncLifetime
{
    private const string Key = "apply-crash-key";
    private static readonly string[] Workflows =
        [.. ReconcileWorkflows.All];

    private readonly TestImageFactory _images = new("applycrash");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-applycrash-");
    private readonly List<string> _proxiedNames = [];
    private ThrottledProxy? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);

        // Pulled through the proxy, the images' names carry the proxy's address, outside the factory's prefix.
        foreach (var name in _proxiedNames)
        {
            try
            {
                await _images.Client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = true });
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // Already gone.
            }
        }

        _proxy?.Dispose();
        await _images.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }

    private string WorkflowsDir => Path.Combine(_root.FullName, "workflows");

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
        $"--Supervisor:WorkflowsDir={WorkflowsDir}",
        $"--Supervisor:LockRoot={Path.Combine(_root.FullName, "locks")}",
        $"--Supervisor:ApiKey={Key}",
        $"--Supervisor:DockerHost={_images.Environment.DockerHost}",
        "--Supervisor:LocalMode=true",
        "--Supervisor:Instance=apply-crash",
    ];

    [Fact]
    public async Task Killed_during_a_download_and_again_during_a_start_the_supervisor_converges_with_no_duplicate()
    {
        var big = await _images.PublishAsync("big", "v1", withBusybox: true, extraBytes: 12 * 1024 * 1024);
        var small = await _images.PublishAsync("small", "v1", withBusybox: true);
        _proxy = new ThrottledProxy(_images.Environment.Registry, bytesPerSecond: 2 * 1024 * 1024);
        var bigName = $"{_proxy.Address}/{big.Repository[(big.Repository.IndexOf('/', StringComparison.Ordinal) + 1)..]}:v1";
        _proxiedNames.AddRange([$"{bigName}@{big.Digest}", bigName]);
        var appUuid = Guid.NewGuid().ToString("N");
        var target = $$"""
            { "device-1": { "name": "crash", "config": {}, "apps": { "{{appUuid}}": { "id": 5, "name": "fleet", "class": "fleet",
              "releases": { "commit1": { "id": 1, "volumes": {}, "networks": {}, "services": {
                "big": { "image": "{{bigName}}@{{big.Digest}}", "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
                         "composition": { "command": ["sleep", "600"], "init": true, "stop_grace_period": "1s" } },
                "small": { "image": "{{small.TagName}}@{{small.Digest}}", "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
                           "composition": { "command": ["sleep", "600"], "init": true, "stop_grace_period": "1s" } } } } } } } } }
            """;

        // An operator's edit: wait before each start, which gives the test a moment to kill the
        // supervisor in the middle of the service changes.
        Directory.CreateDirectory(WorkflowsDir);
        foreach (var id in Workflows)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "workflow-definitions", id + ".json"), Path.Combine(WorkflowsDir, id + ".json"));
        }

        var start = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(WorkflowsDir, "start-service.json")))!.AsObject();
        var first = start["start"]!.GetValue<string>();
        start["activities"]!.AsObject()["pause"] = new JsonObject { ["type"] = "Delay", ["inputs"] = new JsonObject { ["duration"] = "00:00:10" }, ["next"] = new JsonObject { ["Done"] = first } };
        start["start"] = "pause";
        await File.WriteAllTextAsync(Path.Combine(WorkflowsDir, "start-service.json"), start.ToJsonString());

        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        await using (var host = HostProcess.Start(Arguments()))
        {
            await host.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
            using var posted = await client.PostAsync(new Uri($"{host.Url}/v2/local/target-state"), new StringContent(target, Encoding.UTF8, "application/json"));
            posted.EnsureSuccessStatusCode();
            await Eventually.GetAsync(() => DownloadedBytesAsync(client, host.Url), b => b > 0, TimeSpan.FromSeconds(60), "the big download to be under way");
            await host.KillAsync();
        }

        Assert.Empty(await ContainersAsync(appUuid));

        await using (var host = HostProcess.Start(Arguments()))
        {
            await host.WaitUntilUpAsync(client, HostProcess.StartAfterKill);
            await Eventually.GetAsync(() => RunningCountAsync(client, host.Url, "start-service"), n => n > 0, TimeSpan.FromSeconds(90), "a start to be under way");
            await host.KillAsync();
        }

        await using (var host = HostProcess.Start(Arguments()))
        {
            await host.WaitUntilUpAsync(client, HostProcess.StartAfterKill);
            await Eventually.GetAsync(
                async () => (await ContainersAsync(appUuid)).Count(c => c.State == "running"),
                n => n == 2,
                TimeSpan.FromSeconds(120),
                "both services running");
            await Eventually.GetAsync(
                async () => await client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/plan"),
                p => p.GetProperty("isEmpty").GetBoolean(),
                TimeSpan.FromSeconds(30),
                "an empty plan");

            // The start cut short was finished by the restarted apply, not started a second time.
            var starts = await client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/runs?workflow=start-service");
            Assert.Equal(["Completed", "Completed"], starts.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
            Assert.Equal(0, await RunningCountAsync(client, host.Url, "start-service"));
        }

        var containers = await ContainersAsync(appUuid);
        Assert.Equal(["big", "small"], containers.Select(c => c.Labels[ServiceLabels.ServiceName]).Order());
        var records = await new ImageStore(new SupervisorDatabase(Path.Combine(_root.FullName, "data", "supervisor.db")), TimeProvider.System).ListAsync();
        Assert.Equal(["big", "small"], records.Select(r => r.ServiceName).Order());
    }

    private static async Task<long> DownloadedBytesAsync(HttpClient client, string url)
    {
        var runs = await client.GetFromJsonAsync<JsonElement>($"{url}/v3/runs?workflow=fetch-image&status=Running");
        long most = 0;
        foreach (var run in runs.GetProperty("runs").EnumerateArray())
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"{url}/v3/runs/{run.GetProperty("id").GetString()}");
            if (detail.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object
                && progress.GetProperty("value").TryGetProperty("downloadedBytes", out var bytes))
            {
                most = Math.Max(most, bytes.GetInt64());
            }
        }

        return most;
    }

    private static async Task<int> RunningCountAsync(HttpClient client, string url, string workflow) =>
        (await client.GetFromJsonAsync<JsonElement>($"{url}/v3/runs?workflow={workflow}&status=Running")).GetProperty("total").GetInt32();

    private async Task<IList<ContainerListResponse>> ContainersAsync(string appUuid) =>
        await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={appUuid}"] = true },
            },
        });
}
