using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>
/// The device API's reads (state, v1 app and device, version, container ids, volume cleanup) through the real host,
/// against real containers made by the shipped fetch, create and start workflows.
/// </summary>
public sealed class DeviceStateApiTests : IAsyncLifetime
{
    private const long AppId = 7;
    private static readonly string[] SleepCommand = ["sleep", "600"];

    private readonly TestImageFactory _images = new("devstate");
    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-devstate-locks-" + Guid.NewGuid().ToString("N"));
    private readonly string _appUuid = Guid.NewGuid().ToString("N");
    private readonly string _commit = Guid.NewGuid().ToString("N");
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;
    private TestImage _image = null!;

    public async Task InitializeAsync()
    {
        _image = await _images.PublishAsync("main", withBusybox: true);
        _host = new SupervisorHostFactory(
            // The tests install by hand, step by step, to see each state: the reconciler stays out of it.
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot, ["Supervisor:Reconciler:Enabled"] = "false" },
            SupervisorHostFactory.Shipped("fetch-image", "create-service", "start-service", "cleanup-volumes"));
        _client = _host.CreateAuthorizedClient();
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

    private string ImageName => $"{_image.TagName}@{_image.Digest}";

    private string Target(params string[] services) => $$"""
        { "device-1": { "name": "d", "config": {}, "apps": { "{{_appUuid}}": { "id": {{AppId}}, "name": "fleet", "class": "fleet",
          "releases": { "{{_commit}}": { "id": 70, "services": { {{string.Join(", ", services.Select((s, i) =>
            $$"""
            "{{s}}": { "id": {{71 + i}}, "image_id": {{710 + i}}, "image": "{{ImageName}}", "environment": { "GREETING": "hi" },
              "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
              "composition": { "command": ["sleep", "600"], "init": true, "restart": "no", "network_mode": "none" } }
            """))}} } } } } } } }
        """;

    private async Task PostTargetAsync(string target)
    {
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await _client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=120", input);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"{workflow} ended {run.GetProperty("status")}: {run.GetProperty("message")}");
        return run;
    }

    /// <summary>Fetches, creates and starts the service as the reconciler would; returns the container id.</summary>
    private async Task<string> InstallAsync()
    {
        await RunAsync("fetch-image", new { image = ImageName, appUuid = _appUuid, serviceName = "main", commit = _commit, appId = AppId, serviceId = 71, imageId = 710, releaseId = 70 });
        var created = await RunAsync("create-service", new
        {
            appUuid = _appUuid,
            appId = AppId,
            serviceName = "main",
            commit = _commit,
            image = ImageName,
            config = new
            {
                // What the target declares, so that the reconciler finds the container as it would have created it.
                command = SleepCommand,
                init = true,
                environment = new Dictionary<string, string> { ["GREETING"] = "hi" },
                labels = new Dictionary<string, string> { [TestLabels.Owner] = _images.Prefix },
                restart = "no",
                networkMode = "none",
            },
        });
        await RunAsync("start-service", new { appUuid = _appUuid, serviceName = "main", commit = _commit });
        return created.GetProperty("steps")[0].GetProperty("output").GetProperty("containerId").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => GetAsync(_client, path);

    private static string Message(JsonElement body) => body.GetProperty("message").GetString()!;

    [Fact]
    public async Task Before_anything_is_installed_the_app_is_downloading_and_nothing_runs()
    {
        await PostTargetAsync(Target("main"));

        var (status, apps) = await GetAsync("/v2/applications/state");
        Assert.Equal(HttpStatusCode.OK, status);
        var fleet = apps.GetProperty("fleet");
        Assert.Equal(AppId, fleet.GetProperty("appId").GetInt64());
        Assert.Equal(_appUuid, fleet.GetProperty("appUuid").GetString());
        Assert.Equal("downloading", fleet.GetProperty("updateStatus").GetString());
        Assert.Equal(JsonValueKind.Null, fleet.GetProperty("commit").ValueKind);
        var main = fleet.GetProperty("services").GetProperty("main");
        Assert.Equal("Downloading", main.GetProperty("status").GetString());
        Assert.Equal(0, main.GetProperty("downloadProgress").GetInt32());
        Assert.Equal(ImageName, main.GetProperty("image").GetString());
        Assert.Equal(70, main.GetProperty("releaseId").GetInt64());

        // The loop is paused, so no apply is queued; the target differs from the device all the same, and "applied"
        // would tell a client it runs.
        var (_, state) = await GetAsync("/v2/state/status");
        Assert.Equal("success", state.GetProperty("status").GetString());
        Assert.Equal("applying", state.GetProperty("appState").GetString());
        Assert.Equal(0, state.GetProperty("overallDownloadProgress").GetInt32());
        Assert.Empty(state.GetProperty("containers").EnumerateArray());
        var image = Assert.Single(state.GetProperty("images").EnumerateArray());
        Assert.Equal(("Downloading", 710), (image.GetProperty("status").GetString(), image.GetProperty("imageId").GetInt32()));

        var (_, device) = await GetAsync("/v1/device");
        Assert.True(device.GetProperty("update_pending").GetBoolean());
        Assert.False(device.GetProperty("update_downloaded").GetBoolean());
        Assert.Equal("Downloading", device.GetProperty("status").GetString());

        var (_, ids) = await GetAsync("/v2/containerId");
        Assert.Empty(ids.GetProperty("services").EnumerateObject());
    }

    [Fact]
    public async Task An_installed_release_is_done_and_every_read_names_its_container()
    {
        await PostTargetAsync(Target("main"));
        var containerId = await InstallAsync();
        var dockerImageId = (await _images.Client.Containers.InspectContainerAsync(containerId)).Image;

        var (status, apps) = await GetAsync("/v2/applications/state");
        Assert.Equal(HttpStatusCode.OK, status);
        var fleet = apps.GetProperty("fleet");
        Assert.Equal(("done", _commit), (fleet.GetProperty("updateStatus").GetString(), fleet.GetProperty("commit").GetString()));
        var main = fleet.GetProperty("services").GetProperty("main");
        Assert.Equal(("Running", containerId), (main.GetProperty("status").GetString(), main.GetProperty("containerId").GetString()));
        Assert.Equal(JsonValueKind.Null, main.GetProperty("downloadProgress").ValueKind);

        var (_, state) = await GetAsync("/v2/state/status");
        Assert.Equal(("applied", _commit), (state.GetProperty("appState").GetString(), state.GetProperty("release").GetString()));
        Assert.Equal(JsonValueKind.Null, state.GetProperty("overallDownloadProgress").ValueKind);
        var container = Assert.Single(state.GetProperty("containers").EnumerateArray());
        Assert.Equal((containerId, "Running", "main"), (container.GetProperty("containerId").GetString(), container.GetProperty("status").GetString(), container.GetProperty("serviceName").GetString()));
        Assert.Equal((AppId, 710L, 71L), (container.GetProperty("appId").GetInt64(), container.GetProperty("imageId").GetInt64(), container.GetProperty("serviceId").GetInt64()));
        var image = Assert.Single(state.GetProperty("images").EnumerateArray());
        Assert.Equal(("Downloaded", dockerImageId), (image.GetProperty("status").GetString(), image.GetProperty("dockerImageId").GetString()));

        var (legacyStatus, legacy) = await GetAsync($"/v2/applications/{AppId}/state");
        Assert.Equal(HttpStatusCode.OK, legacyStatus);
        Assert.Equal(_commit, legacy.GetProperty("commit").GetString());
        var legacyService = legacy.GetProperty("local").GetProperty("7").GetProperty("services").GetProperty("710");
        Assert.Equal(("Running", 70), (legacyService.GetProperty("status").GetString(), legacyService.GetProperty("releaseId").GetInt32()));

        var (appStatus, app) = await GetAsync($"/v1/apps/{AppId}");
        Assert.Equal(HttpStatusCode.OK, appStatus);
        Assert.Equal((AppId, _commit, containerId), (app.GetProperty("appId").GetInt64(), app.GetProperty("commit").GetString(), app.GetProperty("containerId").GetString()));
        Assert.Equal((dockerImageId, 70, "main"), (app.GetProperty("imageId").GetString(), app.GetProperty("releaseId").GetInt32(), app.GetProperty("serviceName").GetString()));
        Assert.Equal("hi", app.GetProperty("env").GetProperty("GREETING").GetString());

        var (_, device) = await GetAsync("/v1/device");
        Assert.Equal(("Idle", _commit), (device.GetProperty("status").GetString(), device.GetProperty("commit").GetString()));
        Assert.False(device.GetProperty("update_pending").GetBoolean());
        Assert.False(device.GetProperty("update_failed").GetBoolean());
        Assert.Equal(48484, device.GetProperty("api_port").GetInt32());
        Assert.Equal(JsonValueKind.Null, device.GetProperty("os_version").ValueKind);
        Assert.False(string.IsNullOrEmpty(device.GetProperty("supervisor_version").GetString()));

        Assert.Equal(containerId, (await GetAsync("/v2/containerId?serviceName=main")).Body.GetProperty("containerId").GetString());
        Assert.Equal(containerId, (await GetAsync("/v2/containerId?service=main")).Body.GetProperty("containerId").GetString());
        Assert.Equal(containerId, (await GetAsync("/v2/containerId")).Body.GetProperty("services").GetProperty("main").GetString());
        var (missingStatus, missing) = await GetAsync("/v2/containerId?serviceName=nope");
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Contains("\"nope\"", Message(missing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_app_ids_are_400_unknown_apps_404_and_v1_refuses_multi_service_apps()
    {
        await PostTargetAsync(Target("main", "worker"));

        foreach (var path in (string[])["/v2/applications/abc/state", "/v1/apps/abc", "/v1/apps/-1"])
        {
            var (status, body) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith("Invalid app id \"", Message(body), StringComparison.Ordinal);
        }

        foreach (var path in (string[])["/v2/applications/999/state", "/v1/apps/999"])
        {
            var (status, body) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("999", Message(body), StringComparison.Ordinal);
        }

        var (multiStatus, multi) = await GetAsync($"/v1/apps/{AppId}");
        Assert.Equal(HttpStatusCode.BadRequest, multiStatus);
        Assert.Contains("single-container", Message(multi), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2/applications/state")]
    [InlineData("/v2/applications/7/state")]
    [InlineData("/v2/state/status")]
    [InlineData("/v1/apps/7")]
    [InlineData("/v1/device")]
    [InlineData("/v2/version")]
    [InlineData("/v2/containerId")]
    [InlineData("/v2/cleanup-volumes")]
    public async Task Every_read_needs_the_api_key(string path)
    {
        using var anonymous = _host.CreateClient();

        var (status, body) = await GetAsync(anonymous, path);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Unauthorized", Message(body));
    }

    [Fact]
    public async Task The_version_needs_no_engine()
    {
        var (status, body) = await GetAsync("/v2/version");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body.GetProperty("status").GetString());
        // balena push refuses a supervisor below 7.21.4 and starts livepush from 9.7.0; the level is balena v19's.
        Assert.Equal("19.0.0", body.GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", body.GetProperty("implementationVersion").GetString()!);
    }

    [Fact]
    public async Task An_unreachable_engine_is_503_naming_the_engine()
    {
        var folder = Directory.CreateTempSubdirectory("supervisor-noengine-");
        try
        {
            await using var host = new SupervisorHostFactory(
                new Dictionary<string, string?> { ["Supervisor:DockerHost"] = $"unix://{folder.FullName}/docker.sock", ["Supervisor:LocalMode"] = "true" },
                SupervisorHostFactory.Shipped("cleanup-volumes"));
            using var client = host.CreateAuthorizedClient();

            foreach (var path in (string[])["/v2/applications/state", "/v2/applications/7/state", "/v2/state/status", "/v1/apps/7", "/v1/device", "/v2/containerId", "/v2/cleanup-volumes"])
            {
                var (status, body) = await GetAsync(client, path);
                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{path} answered {status}: {body}");
                Assert.Equal("failed", body.GetProperty("status").GetString());
                Assert.Contains("Docker engine", Message(body), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/v2/version")).Status);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Cleanup_removes_volumes_of_apps_not_in_the_target_and_keeps_the_target_apps_the_users_and_those_in_use()
    {
        await PostTargetAsync(Target("main"));
        var orphan = Guid.NewGuid().ToString("N") + "_data";
        var orphanInUse = Guid.NewGuid().ToString("N") + "_cache";
        var targeted = _appUuid + "_data";
        var users = "user-" + Guid.NewGuid().ToString("N");
        string[] volumes = [orphan, orphanInUse, targeted, users];
        foreach (var name in volumes)
        {
            await _images.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name });
        }

        try
        {
            var repository = _images.Repository("holder");
            await _images.ImportAsync(repository, "v1", withBusybox: true);
            await _images.Client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = $"{repository}:v1",
                Cmd = SleepCommand,
                Labels = new Dictionary<string, string> { [TestLabels.Owner] = _images.Prefix },
                HostConfig = new HostConfig { Binds = [$"{orphanInUse}:/cache"], NetworkMode = "none" },
            });

            var (status, body) = await GetAsync("/v2/cleanup-volumes");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("success", body.GetProperty("status").GetString());
            // The engine is shared with tests running beside this one, so the lists are checked for these volumes only.
            var removed = body.GetProperty("removed").EnumerateArray().Select(v => v.GetString()).ToList();
            Assert.Contains(orphan, removed);
            Assert.DoesNotContain(orphanInUse, removed);
            Assert.DoesNotContain(targeted, removed);
            Assert.DoesNotContain(users, removed);
            Assert.Contains(orphanInUse, body.GetProperty("inUse").EnumerateArray().Select(v => v.GetString()));
            var left = (await _images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes.Select(v => v.Name).ToHashSet();
            Assert.DoesNotContain(orphan, left);
            Assert.Contains(orphanInUse, left);
            Assert.Contains(targeted, left);
            Assert.Contains(users, left);
        }
        finally
        {
            await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
            foreach (var name in volumes)
            {
                try
                {
                    await _images.Client.Volumes.RemoveAsync(name, force: true);
                }
                catch (Docker.DotNet.DockerApiException)
                {
                    // Removed by the cleanup under test.
                }
            }
        }
    }
}
