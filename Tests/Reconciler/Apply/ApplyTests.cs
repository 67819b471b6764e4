using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>
/// The reconciler end to end: a target posted in local mode is applied by the real loop, apply
/// job and shipped workflows, against the real engine and registry.
/// </summary>
public sealed class ApplyTests : IAsyncLifetime
{
    private static readonly string[] Workflows =
        [.. ReconcileWorkflows.All];

    private static readonly TimeSpan Converges = TimeSpan.FromSeconds(90);

    private readonly TestImageFactory _images = new("apply");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-apply-locks-").FullName;
    private readonly ReleaseDocuments _releases;
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public ApplyTests() => _releases = new ReleaseDocuments(_images);

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?>
            {
                ["Supervisor:LocalMode"] = "true",
                ["Supervisor:LockRoot"] = _lockRoot,
                ["Supervisor:Reconciler:BackoffBase"] = "00:00:00.500",
            },
            SupervisorHostFactory.Shipped(Workflows));
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task Release_v2_replaces_v1_the_new_image_is_fetched_and_v1s_tags_and_row_are_gone()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        var v2 = await _images.PublishAsync("main", "v2", withBusybox: true);

        await PostAsync(_releases.Release("commit1", ("main", v1)));
        var first = await RunningAsync("commit1");
        Assert.Equal(v1.ImageId, first.ImageID);
        Assert.Equal(["commit1"], (await RecordsAsync()).Select(r => r.Commit));

        await PostAsync(_releases.Release("commit2", ("main", v2)));
        var second = await RunningAsync("commit2");
        Assert.Equal(v2.ImageId, second.ImageID);

        // v1's container, tags and row go; only v2 remains.
        await Eventually.GetAsync(ContainersAsync, c => c.Count == 1, Converges, "one container left");
        await Eventually.GetAsync(RecordsAsync, r => r.Count == 1 && r[0].Commit == "commit2", Converges, "only v2's image row");
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => _images.Client.Images.InspectImageAsync(v1.TagName));
        await _images.Client.Images.InspectImageAsync(v2.TagName);
        await AtTargetAsync();
    }

    [Fact]
    public async Task Three_services_are_fetched_created_and_started_and_a_pass_after_that_queues_nothing()
    {
        var images = new[]
        {
            await _images.PublishAsync("a", "v1", withBusybox: true),
            await _images.PublishAsync("b", "v1", withBusybox: true),
            await _images.PublishAsync("c", "v1", withBusybox: true),
        };

        await PostAsync(_releases.Release("commit1", ("a", images[0]), ("b", images[1]), ("c", images[2])));

        var running = await Eventually.GetAsync(ContainersAsync, c => c.Count(x => x.State == "running") == 3, Converges, "three services running");
        Assert.Equal(["a", "b", "c"], running.Select(c => c.Labels[ServiceLabels.ServiceName]).Order());
        await AtTargetAsync();

        // Independent services are changed side by side: b's and c's containers are being created while a's is
        // still on its way to running (each start waits for its own create only).
        var runs = await ChangeRunsAsync();
        Assert.All(["b", "c"], service => Assert.True(
            runs[("create-service", service)].CreatedAt < runs[("start-service", "a")].EndedAt,
            $"create-service {service} began at {runs[("create-service", service)].CreatedAt:O}, after start-service a ended at {runs[("start-service", "a")].EndedAt:O}"));

        // The device is at its target: another pass plans nothing and starts no run.
        var runsBefore = await RunCountAsync();
        _host.Services.GetRequiredService<ApplyTrigger>().Request("test");
        var plan = await _client.GetFromJsonAsync<JsonElement>("/v3/plan");
        Assert.True(plan.GetProperty("isEmpty").GetBoolean());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(runsBefore, await RunCountAsync());
    }

    [Fact]
    public async Task Only_the_changed_service_is_recreated_and_a_new_release_of_unchanged_services_restarts_nothing()
    {
        (string Name, TestImage Image)[] services =
        [
            ("a", await _images.PublishAsync("a", "v1", withBusybox: true)),
            ("b", await _images.PublishAsync("b", "v1", withBusybox: true)),
            ("c", await _images.PublishAsync("c", "v1", withBusybox: true)),
        ];
        await PostAsync(_releases.Release("commit1", services));
        await Eventually.GetAsync(ContainersAsync, c => c.Count(x => x.State == "running") == 3, Converges, "three services running");
        await AtTargetAsync();
        var first = await StartedAsync();

        // A fleet variable changes under the same commit: b alone is recreated, with it.
        _releases.Environments["b"] = """{ "FLEET_VAR": "on" }""";
        await PostAsync(_releases.Release("commit1", services));
        var second = await Eventually.GetAsync(StartedAsync, s => s.Count == 3 && s["b"].Id != first["b"].Id && s["b"].Running, Converges, "b recreated and running");
        Assert.Equal(first["a"], second["a"]);
        Assert.Equal(first["c"], second["c"]);
        var b = await _images.Client.Containers.InspectContainerAsync(second["b"].Id);
        Assert.Contains("FLEET_VAR=on", b.Config!.Env);
        Assert.Contains("BALENA_DEVICE_UUID=device-1", b.Config.Env);
        await AtTargetAsync();

        // A new release with nothing changed: every container moves to it, still running, none restarted.
        await PostAsync(_releases.Release("commit2", services));
        await Eventually.GetAsync(RecordsAsync, r => r.Count == 3 && r.All(x => x.Commit == "commit2"), Converges, "the images recorded for commit2 only");
        await AtTargetAsync();
        var third = await StartedAsync();
        Assert.Equal(second, third);
        foreach (var container in await ContainersAsync())
        {
            Assert.EndsWith("_commit2", container.Names[0], StringComparison.Ordinal);
            Assert.Equal("running", container.State);
        }

        var plan = await _client.GetFromJsonAsync<JsonElement>("/v3/plan");
        Assert.True(plan.GetProperty("isEmpty").GetBoolean());
    }

    [Fact]
    public async Task Services_start_after_those_they_depend_on_and_their_volume_is_made_first_and_kept_when_a_local_target_drops_the_app()
    {
        (string Name, TestImage Image)[] services =
        [
            ("web", await _images.PublishAsync("web", "v1", withBusybox: true)),
            ("api", await _images.PublishAsync("api", "v1", withBusybox: true)),
            ("db", await _images.PublishAsync("db", "v1", withBusybox: true)),
        ];
        _releases.Compositions["web"] = "\"depends_on\": [\"api\"]";
        _releases.Compositions["api"] = "\"depends_on\": [\"db\"]";
        _releases.Compositions["db"] = "\"volumes\": [\"data:/data\"]";
        _releases.Volumes = """{ "data": { "labels": { "com.example.role": "db" } } }""";
        var volume = $"{_releases.AppId}_data";
        try
        {
            await PostAsync(_releases.Release("commit1", services));

            // Listed first, inspected once all run: the engine lists a container it is still creating before it can inspect it.
            await Eventually.GetAsync(ContainersAsync, c => c.Count(x => x.State == "running") == 3, Converges, "three services running");
            await AtTargetAsync();
            var started = await StartedAsync();

            DateTime StartOf(string service) => DateTime.Parse(started[service].StartedAt!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
            Assert.True(StartOf("db") <= StartOf("api") && StartOf("api") <= StartOf("web"), $"db {StartOf("db"):O}, api {StartOf("api"):O}, web {StartOf("web"):O}");

            // Changes run side by side where they may: a dependant is not even created before what it depends on has started.
            var runs = await ChangeRunsAsync();
            Assert.True(runs[("create-service", "api")].CreatedAt >= runs[("start-service", "db")].EndedAt, "api was created before db had started");
            Assert.True(runs[("create-service", "web")].CreatedAt >= runs[("start-service", "api")].EndedAt, "web was created before api had started");
            var made = await _images.Client.Volumes.InspectAsync(volume);
            Assert.Equal("db", made.Labels["com.example.role"]);
            var db = await _images.Client.Containers.InspectContainerAsync(started["db"].Id);
            Assert.Contains(db.Mounts, m => m.Name == volume);

            // A local target without the app: its containers go, its volume stays (balena's local mode).
            await PostAsync(ReleaseDocuments.NoApps());
            await Eventually.GetAsync(ContainersAsync, c => c.Count == 0, Converges, "the app's containers removed");
            await AtTargetAsync();
            Assert.Contains((await _images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes, v => v.Name == volume);
        }
        finally
        {
            await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
            await _images.Client.Volumes.RemoveAsync(volume, force: true);
        }
    }

    [Fact]
    public async Task An_invalid_target_leaves_the_running_release_untouched()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        await PostAsync(_releases.Release("commit1", ("main", v1)));
        var before = await RunningAsync("commit1");
        var runsBefore = await RunCountAsync();

        var invalid = _releases.Release("commit2", ("main", v1)).Replace("\"class\": \"fleet\"", "\"class\": \"nonsense\"", StringComparison.Ordinal);
        using var refused = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(invalid, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = Assert.Single(await ContainersAsync());
        Assert.Equal((before.ID, "running"), (after.ID, after.State));
        Assert.Equal(runsBefore, await RunCountAsync());
    }

    [Fact]
    public async Task A_user_lock_blocks_the_update_reports_it_and_the_update_goes_through_once_the_lock_is_gone()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        var v2 = await _images.PublishAsync("main", "v2", withBusybox: true);
        await PostAsync(_releases.Release("commit1", ("main", v1)));
        var before = await RunningAsync("commit1");

        var lockFile = Path.Combine(_lockRoot, _releases.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), "main", "updates.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        await File.WriteAllTextAsync(lockFile, string.Empty);
        await PostAsync(_releases.Release("commit2", ("main", v2)));

        // The new image is downloaded (that touches no container), but the old one keeps running.
        var status = _host.Services.GetRequiredService<ApplyStatus>();
        await Eventually.TrueAsync(() => status.Current.Blocked.Any(b => b.AppUuid == _releases.AppUuid && b.Reason == "updates locked"), Converges, "the app reported locked");
        await Eventually.GetAsync(RecordsAsync, r => r.Any(x => x.Commit == "commit2"), Converges, "v2 downloaded");
        var still = Assert.Single(await ContainersAsync());
        Assert.Equal((before.ID, "running"), (still.ID, still.State));
        Assert.True(File.Exists(lockFile));

        File.Delete(lockFile);
        await RunningAsync("commit2");
        await Eventually.GetAsync(ContainersAsync, c => c.Count == 1, Converges, "v1's container removed");
        await AtTargetAsync();
    }

    [Fact]
    public async Task A_forced_update_overrides_a_user_lock_once()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        var v2 = await _images.PublishAsync("main", "v2", withBusybox: true);
        await PostAsync(_releases.Release("commit1", ("main", v1)));
        await RunningAsync("commit1");
        var lockFile = Path.Combine(_lockRoot, _releases.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), "main", "updates.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        await File.WriteAllTextAsync(lockFile, string.Empty);
        await PostAsync(_releases.Release("commit2", ("main", v2)));
        var status = _host.Services.GetRequiredService<ApplyStatus>();
        await Eventually.TrueAsync(() => status.Current.Blocked.Any(b => b.AppUuid == _releases.AppUuid), Converges, "the app reported locked");

        using var update = await _client.PostAsync(new Uri("/v1/update", UriKind.Relative), new StringContent("""{ "force": true }""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        await RunningAsync("commit2");
        await Eventually.GetAsync(ContainersAsync, c => c.Count == 1, Converges, "v1's container removed");
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task A_failed_download_fails_the_apply_touches_no_service_and_is_tried_again_with_a_growing_backoff()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        var missing = v1 with { Digest = "sha256:" + new string('0', 64) };

        await PostAsync(_releases.Release("commit1", ("main", missing)));

        var status = _host.Services.GetRequiredService<ApplyStatus>();
        var failing = await Eventually.GetAsync(
            () => Task.FromResult(status.Current),
            s => s.ConsecutiveFailures >= 2 && s.NextAttemptAt is not null,
            Converges,
            "two failed applies and a next attempt planned");
        Assert.Contains("downloads failed", failing.LastError, StringComparison.Ordinal);
        Assert.False(failing.AtTarget);
        Assert.Empty(await ContainersAsync());
        Assert.Empty(await RecordsAsync());

        // The target is fixed: the next apply goes through at once, without waiting out the backoff.
        await PostAsync(_releases.Release("commit1", ("main", v1)));
        await RunningAsync("commit1");
        await AtTargetAsync();
    }

    [Fact]
    public async Task A_service_stopped_through_the_api_stays_stopped_across_passes_until_started_again()
    {
        var v1 = await _images.PublishAsync("main", "v1", withBusybox: true);
        await PostAsync(_releases.Release("commit1", ("main", v1)));
        await RunningAsync("commit1");
        await AtTargetAsync();

        using (var stop = await _client.PostAsync(new Uri($"/v2/applications/{_releases.AppId}/stop-service", UriKind.Relative), new StringContent("""{ "serviceName": "main" }""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }

        // Passes asked for after the stop plan nothing: the reconciler leaves the stop alone.
        var status = _host.Services.GetRequiredService<ApplyStatus>();
        var passes = status.Current.Passes;
        using (var update = await _client.PostAsync(new Uri("/v1/update", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        }

        await Eventually.TrueAsync(() => status.Current.Passes > passes && !status.Current.Applying, Converges, "a pass after the stop");
        Assert.Equal("exited", Assert.Single(await ContainersAsync()).State);
        Assert.True((await _client.GetFromJsonAsync<JsonElement>("/v3/plan")).GetProperty("isEmpty").GetBoolean());

        using (var start = await _client.PostAsync(new Uri($"/v2/applications/{_releases.AppId}/start-service", UriKind.Relative), new StringContent("""{ "serviceName": "main" }""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await RunningAsync("commit1");
    }

    private async Task PostAsync(string target)
    {
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private async Task<ContainerListResponse> RunningAsync(string commit)
    {
        var containers = await Eventually.GetAsync(
            ContainersAsync,
            c => c.Any(x => x.Labels[ServiceLabels.Commit] == commit && x.State == "running"),
            Converges,
            $"a running container of {commit}");
        return containers.Single(x => x.Labels[ServiceLabels.Commit] == commit);
    }

    /// <summary>Each service's container id and start time.</summary>
    private async Task<Dictionary<string, (string Id, string? StartedAt, bool Running)>> StartedAsync()
    {
        var started = new Dictionary<string, (string Id, string? StartedAt, bool Running)>();
        foreach (var container in await ContainersAsync())
        {
            var inspected = await _images.Client.Containers.InspectContainerAsync(container.ID);
            started[container.Labels[ServiceLabels.ServiceName]] = (container.ID, inspected.State?.StartedAt, inspected.State?.Running == true);
        }

        return started;
    }

    private async Task<IList<ContainerListResponse>> ContainersAsync() =>
        await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={_releases.AppUuid}"] = true },
            },
        });

    private async Task<IReadOnlyList<ImageRecord>> RecordsAsync() =>
        [.. (await _host.Services.GetRequiredService<ImageStore>().ListAsync()).Where(r => r.AppUuid == _releases.AppUuid)];

    private async Task<int> RunCountAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/v3/runs")).GetProperty("total").GetInt32();

    /// <summary>The apply's create-service and start-service runs of this test's app, by workflow and service (the latest of each).</summary>
    private async Task<Dictionary<(string Workflow, string Service), WorkflowRun>> ChangeRunsAsync()
    {
        var journal = _host.Services.GetRequiredService<WorkflowJournal>();
        var (summaries, _) = await journal.ListRunsAsync(new RunQuery(PageSize: 500));
        List<WorkflowRun> runs = [];
        foreach (var summary in summaries.Where(r => r.WorkflowId is ReconcileWorkflows.CreateService or ReconcileWorkflows.StartService))
        {
            runs.Add((await journal.GetRunAsync(summary.Id))!);
        }

        return runs
            .Where(r => r.Input.TryGetProperty("appUuid", out var app) && app.GetString() == _releases.AppUuid)
            .GroupBy(r => (r.WorkflowId, r.Input.GetProperty("serviceName").GetString()!))
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.CreatedAt)!);
    }

    private async Task AtTargetAsync()
    {
        var status = _host.Services.GetRequiredService<ApplyStatus>();
        await Eventually.TrueAsync(() => status.Current is { AtTarget: true, Applying: false }, Converges, "the device reported at its target");
        Assert.Null(status.Current.LastError);
    }
}
