using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Docker.DotNet.Models;
using Supervisor.Activities.Features;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Features;

/// <summary>
/// The real program, listening as it does on a device, applies a release whose service asks for the supervisor API:
/// from inside its container the service reaches the API at the address it was given, with the key it was given,
/// and that key reads its own app and is refused the device-wide v3 API.
/// </summary>
public sealed class SupervisorApiFromContainerTests : IAsyncLifetime
{
    private const string Key = "api-from-container-key";

    private readonly TestImageFactory _images = new("apifromcontainer");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-apifromcontainer-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
        await _images.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task A_service_calls_the_api_at_its_given_address_with_its_own_key()
    {
        var image = await _images.PublishAsync("probe", "v1", withBusybox: true);
        var appUuid = "app" + Guid.NewGuid().ToString("N")[..20];
        var workflows = Path.Combine(_root.FullName, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var id in ReconcileWorkflows.All)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "workflow-definitions", id + ".json"), Path.Combine(workflows, id + ".json"));
        }

        const string Probe = """
            until busybox wget -q -O- "$BALENA_SUPERVISOR_ADDRESS/v2/applications/state?apikey=$BALENA_SUPERVISOR_API_KEY"; do sleep 1; done; echo; busybox wget -q -O- "$BALENA_SUPERVISOR_ADDRESS/v3/plan?apikey=$BALENA_SUPERVISOR_API_KEY" || echo v3-refused; sleep 600
            """;
        var target = $$"""
            { "device-1": { "name": "api", "config": {}, "apps": { "{{appUuid}}": { "id": 9, "name": "probe-app", "class": "fleet",
              "releases": { "commit1": { "id": 1, "volumes": {}, "networks": {}, "services": {
                "probe": { "image": "{{image.TagName}}@{{image.Digest}}",
                           "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}", "{{ServiceFeatures.SupervisorApi}}": "1" },
                           "composition": { "command": ["sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(Probe.Trim())}}], "init": true, "stop_grace_period": "1s" } } } } } } } } }
            """;

        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await using var host = HostProcess.Start(
            listenOnEveryAddress: true,
            $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
            $"--Supervisor:WorkflowsDir={workflows}",
            $"--Supervisor:LockRoot={Path.Combine(_root.FullName, "locks")}",
            $"--Supervisor:ApiKey={Key}",
            $"--Supervisor:DockerHost={_images.Environment.DockerHost}",
            "--Supervisor:LocalMode=true",
            $"--Supervisor:Instance=apifromcontainer-{Guid.NewGuid().ToString("N")[..8]}");
        await host.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
        using var posted = await client.PostAsync(new Uri($"{host.Url}/v2/local/target-state"), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var container = await Eventually.GetAsync(
            async () => (await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={appUuid}"] = true } },
            })).FirstOrDefault(),
            c => c is not null,
            TimeSpan.FromSeconds(90),
            "the probe service running");
        var logs = await Eventually.GetAsync(
            () => LogsAsync(container!.ID),
            text => text.Contains("v3-refused", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the probe to call the API twice");

        Assert.Contains($"\"appUuid\":\"{appUuid}\"", logs, StringComparison.Ordinal);
        Assert.Contains("\"probe\"", logs, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden", logs, StringComparison.Ordinal);
    }

    private async Task<string> LogsAsync(string id)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await _images.Client.Containers.GetContainerLogsAsync(
            id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, new SynchronousProgress<string>(lines.Enqueue), CancellationToken.None);
        return string.Join("\n", lines);
    }
}
