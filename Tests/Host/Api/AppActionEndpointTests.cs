using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// The app-wide actions, v1 (<c>restart</c>, <c>purge</c>, <c>apps/:appId/stop|start</c>) and v2
/// (<c>restart</c>, <c>purge</c>), against the real engine with real lock files, on a
/// single-service app whose service <c>main</c> runs with a named volume.
/// </summary>
public sealed class AppActionEndpointTests : IAsyncLifetime
{
    private ActionDevice _device = null!;

    public static TheoryData<string> LockGuardedActions { get; } = new() { "v1-restart", "v1-purge", "v1-stop", "v2-restart", "v2-purge" };

    public async Task InitializeAsync() => _device = await ActionDevice.StartAsync("app-actions", ["main"], ["main"]);

    public async Task DisposeAsync() => await _device.DisposeAsync();

    /// <summary>Each lock-guarded app action as (path, body), the app named as each version names it.</summary>
    private (string Path, Dictionary<string, object> Body) Request(string action, bool force = false) => action switch
    {
        "v1-restart" => ("/v1/restart", new() { ["appId"] = _device.AppId, ["force"] = force }),
        "v1-purge" => ("/v1/purge", new() { ["appId"] = _device.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["force"] = force }),
        "v1-stop" => ($"/v1/apps/{_device.AppId}/stop", new() { ["force"] = force }),
        "v2-restart" => ($"/v2/applications/{_device.AppId}/restart", new() { ["force"] = force }),
        "v2-purge" => ($"/v2/applications/{_device.AppId}/purge", new() { ["force"] = force }),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private async Task<(HttpStatusCode Status, string Body)> ActAsync(string action, bool force = false)
    {
        var (path, body) = Request(action, force);
        using var response = await _device.PostAsync(path, body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("v1-restart", "OK")]
    [InlineData("v2-restart", "OK")]
    public async Task Restart_recreates_the_apps_service_as_balena_does_and_answers_OK(string action, string answer)
    {
        var before = await _device.ContainerAsync("main");

        var (status, body) = await ActAsync(action);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(answer, body);
        var after = await _device.ContainerAsync("main");
        Assert.NotEqual(before.Id, after.Id);
        Assert.True(after.Running);
        Assert.True(after.StartedAt > before.StartedAt);
    }

    [Theory]
    [InlineData("v1-purge", """{"Data":"OK","Error":""}""")]
    [InlineData("v2-purge", "OK")]
    public async Task Purge_removes_the_apps_containers_and_volumes_then_asks_the_reconciler_to_recreate_them(string action, string answer)
    {
        var volume = _device.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_data";
        var volumes = await _device.Images.Client.Volumes.ListAsync(CancellationToken.None);
        Assert.Contains(volumes.Volumes, v => v.Name == volume);
        var trigger = _device.Host.Services.GetRequiredService<ApplyTrigger>();
        while (await trigger.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None) is not null)
        {
            // Drain what the setup asked for, so that the request seen below is the purge's.
        }

        var (status, body) = await ActAsync(action);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(answer, body);
        Assert.Empty(await _device.ContainersAsync("main"));
        Assert.DoesNotContain((await _device.Images.Client.Volumes.ListAsync(CancellationToken.None)).Volumes ?? [], v => v.Name == volume);
        Assert.Contains("purged", await trigger.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None), StringComparison.Ordinal);
        var run = await _device.LatestRunAsync("purge-app");
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["lock", "remove", "volumes", "release", "unmark", "apply", "back"], steps.Select(s => s.GetProperty("activityId").GetString()));

        // This device's reconcile loop is off: nothing would bring the services back, so the purge does not wait.
        Assert.False(steps[^1].GetProperty("output").GetProperty("awaited").GetBoolean());
    }

    [Fact]
    public async Task V1_stop_and_start_answer_the_container_id_mark_and_unmark_the_stop_and_start_ignores_a_users_lock()
    {
        var id = (await _device.ContainerAsync("main")).Id;
        var stopped = _device.Host.Services.GetRequiredService<ApiStoppedServices>();

        using (var response = await _device.PostAsync($"/v1/apps/{_device.AppId}/stop"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("containerId").GetString());
        }

        Assert.False((await _device.ContainerAsync("main")).Running);
        Assert.Contains((_device.AppUuid, "main"), stopped.Snapshot());

        // Starting takes no lock: a user's lock does not stand in its way.
        _device.UserLock("main");
        using (var response = await _device.PostAsync($"/v1/apps/{_device.AppId}/start"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("containerId").GetString());
        }

        Assert.True((await _device.ContainerAsync("main")).Running);
        Assert.DoesNotContain((_device.AppUuid, "main"), stopped.Snapshot());
    }

    [Fact]
    public async Task V1_start_creates_the_container_from_the_target_when_none_exists()
    {
        var old = (await _device.ContainerAsync("main")).Id;
        await _device.Images.Client.Containers.RemoveContainerAsync(old, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });

        using var response = await _device.PostAsync($"/v1/apps/{_device.AppId}/start");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = await _device.ContainerAsync("main");
        Assert.NotEqual(old, created.Id);
        Assert.True(created.Running);
        Assert.Equal(created.Id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("containerId").GetString());
    }

    [Theory]
    [MemberData(nameof(LockGuardedActions))]
    public async Task Under_a_users_lock_the_action_answers_423_and_the_container_is_untouched(string action)
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");

        var (status, body) = await ActAsync(action);

        Assert.True(status == HttpStatusCode.Locked, body);
        var answer = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("failed", answer.GetProperty("status").GetString());
        Assert.Contains("service main", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _device.ContainerAsync("main"));
        Assert.True(File.Exists(_device.LockFile("main")));
        Assert.Empty(_device.Host.Services.GetRequiredService<ApiStoppedServices>().Snapshot());
    }

    [Theory]
    [MemberData(nameof(LockGuardedActions))]
    public async Task With_force_the_action_succeeds_and_removes_only_the_apps_services_locks(string action)
    {
        _device.UserLock("main");

        // A lock folder of a service that is not in the target: the action does not touch it.
        _device.UserLock("retired");

        var (status, body) = await ActAsync(action, force: true);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.False(File.Exists(_device.LockFile("main")));
        Assert.True(File.Exists(_device.LockFile("retired")));
    }

    [Fact]
    public async Task V1_stop_and_start_refuse_a_multi_service_app_and_an_unknown_one()
    {
        foreach (var verb in new[] { "stop", "start" })
        {
            using (var multi = await _device.PostAsync($"/v1/apps/{_device.OtherAppId}/{verb}"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, multi.StatusCode);
                Assert.Contains("single-service apps", await multi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using (var unknown = await _device.PostAsync($"/v1/apps/1/{verb}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            }

            using (var invalid = await _device.PostAsync($"/v1/apps/x1/{verb}"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
                Assert.Contains("Invalid app id", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.True((await _device.ContainerAsync("main")).Running);
    }
}
