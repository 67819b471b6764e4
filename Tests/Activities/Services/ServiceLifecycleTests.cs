using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Activities.Services;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Services;

/// <summary>The shipped service workflows through the real host against the real engine.</summary>
public sealed class ServiceLifecycleTests : IAsyncLifetime
{
    private static readonly string[] SleepCommand = ["sleep", "600"];

    private readonly TestImageFactory _images = new("services");
    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-locks-" + Guid.NewGuid().ToString("N"));
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;
    private string _image = null!;
    private string _appUuid = null!;

    public async Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped("create-service", "start-service", "stop-service", "remove-service"));
        _client = _host.CreateAuthorizedClient();
        var repository = _images.Repository("svc");
        await _images.ImportAsync(repository, "v1", withBusybox: true);
        _image = $"{repository}:v1";
        _appUuid = "app" + Guid.NewGuid().ToString("N")[..12];
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        if (Directory.Exists(_lockRoot))
        {
            Directory.Delete(_lockRoot, recursive: true);
        }
    }

    private async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await _client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=60", input);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> CreateAsync(string service = "main", string commit = "commit1", string? image = null) => RunAsync("create-service", new
    {
        appUuid = _appUuid,
        appId = 1234,
        serviceName = service,
        commit,
        image = image ?? _image,
        config = new
        {
            command = SleepCommand,
            init = true,
            environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            labels = new Dictionary<string, string> { [TestLabels.Owner] = _images.Prefix, ["com.example.role"] = "web" },
            restart = "no",
            networkMode = "none",
        },
    });

    /// <summary>The output of the run's step <paramref name="activityId"/> (stop and remove run between taking and giving back the update lock).</summary>
    private static JsonElement Output(JsonElement run, string activityId = "create") =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("activityId").GetString() == activityId).GetProperty("output");

    private static void AssertCompleted(JsonElement run) =>
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"the run ended {run.GetProperty("status")}: {run.GetProperty("message")}");

    [Fact]
    public async Task A_service_is_created_labelled_with_its_lock_folder_then_started_stopped_and_removed()
    {
        var created = await CreateAsync();
        AssertCompleted(created);
        var id = Output(created).GetProperty("containerId").GetString()!;
        Assert.True(Output(created).GetProperty("created").GetBoolean());

        var container = await _images.Client.Containers.InspectContainerAsync(id);
        Assert.False(container.State!.Running);
        Assert.True(container.HostConfig!.Init);
        Assert.Equal("none", container.HostConfig.NetworkMode);
        var labels = container.Config!.Labels;
        Assert.Equal("true", labels[ServiceLabels.Supervised]);
        Assert.Equal(_appUuid, labels[ServiceLabels.AppUuid]);
        Assert.Equal("main", labels[ServiceLabels.ServiceName]);
        Assert.Equal("commit1", labels[ServiceLabels.Commit]);
        Assert.Equal("web", labels["com.example.role"]);
        Assert.Contains("GREETING=hello", container.Config.Env);
        Assert.Contains("BALENA_APP_LOCK_PATH=/tmp/balena/updates.lock", container.Config.Env);
        Assert.Contains(container.HostConfig.Binds, b => b.EndsWith("/1234/main:/tmp/balena", StringComparison.Ordinal));
        Assert.Contains(container.HostConfig.Binds, b => b.EndsWith("/1234/main:/tmp/resin", StringComparison.Ordinal));

        var again = await CreateAsync();
        AssertCompleted(again);
        Assert.Equal(id, Output(again).GetProperty("containerId").GetString());
        Assert.False(Output(again).GetProperty("created").GetBoolean());

        AssertCompleted(await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main" }));
        Assert.True((await _images.Client.Containers.InspectContainerAsync(id)).State!.Running);
        AssertCompleted(await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main" }));

        var stopped = await RunAsync("stop-service", new { appUuid = _appUuid, serviceName = "main", gracePeriod = "00:00:30" });
        AssertCompleted(stopped);
        Assert.Equal([id], Output(stopped, "stop").GetProperty("stopped").EnumerateArray().Select(e => e.GetString()));
        Assert.False((await _images.Client.Containers.InspectContainerAsync(id)).State!.Running);
        AssertCompleted(await RunAsync("stop-service", new { appUuid = _appUuid, serviceName = "main" }));

        var removed = await RunAsync("remove-service", new { appUuid = _appUuid, serviceName = "main" });
        AssertCompleted(removed);
        Assert.Equal([id], Output(removed, "remove").GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => _images.Client.Containers.InspectContainerAsync(id));
        AssertCompleted(await RunAsync("remove-service", new { appUuid = _appUuid, serviceName = "main" }));
    }

    [Theory]
    [InlineData("stop-service")]
    [InlineData("remove-service")]
    public async Task With_the_reconcilers_input_a_users_lock_ends_stop_and_remove_Locked_and_the_container_stays(string workflow)
    {
        var id = Output(await CreateAsync()).GetProperty("containerId").GetString()!;
        AssertCompleted(await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main" }));
        var userLock = Path.Combine(_lockRoot, "1234", "main", "updates.lock");
        await File.WriteAllTextAsync(userLock, string.Empty);

        // What the reconciler sends: no force.
        var run = await RunAsync(workflow, new { appUuid = _appUuid, appId = 1234, serviceName = "main", commit = "commit1", gracePeriod = "00:00:10" });

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Locked", run.GetProperty("reason").GetString());
        Assert.Contains("service main", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True((await _images.Client.Containers.InspectContainerAsync(id)).State!.Running);
        Assert.True(File.Exists(userLock));
    }

    [Fact]
    public async Task Removing_a_running_service_stops_it_first()
    {
        var id = Output(await CreateAsync()).GetProperty("containerId").GetString()!;
        AssertCompleted(await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main" }));

        AssertCompleted(await RunAsync("remove-service", new { appUuid = _appUuid, serviceName = "main" }));

        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => _images.Client.Containers.InspectContainerAsync(id));
    }

    [Fact]
    public async Task Each_release_gets_its_own_container_and_a_commit_picks_one()
    {
        var first = Output(await CreateAsync(commit: "commit1")).GetProperty("containerId").GetString()!;
        var second = Output(await CreateAsync(commit: "commit2")).GetProperty("containerId").GetString()!;
        Assert.NotEqual(first, second);

        AssertCompleted(await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main", commit = "commit1" }));

        Assert.True((await _images.Client.Containers.InspectContainerAsync(first)).State!.Running);
        Assert.False((await _images.Client.Containers.InspectContainerAsync(second)).State!.Running);
    }

    [Fact]
    public async Task A_service_without_a_container_or_image_fails_as_not_found()
    {
        var start = await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "ghost" });
        Assert.Equal("NotFound", start.GetProperty("reason").GetString());
        var stop = await RunAsync("stop-service", new { appUuid = _appUuid, serviceName = "ghost" });
        Assert.Equal("NotFound", stop.GetProperty("reason").GetString());

        var create = await CreateAsync(service: "noimage", image: _images.Repository("absent") + ":v1");
        Assert.Equal("NotFound", create.GetProperty("reason").GetString());
        Assert.Contains("Fetch it first", create.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
